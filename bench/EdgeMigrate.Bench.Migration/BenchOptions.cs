namespace EdgeMigrate.Bench.Migration;

/// <summary>What to measure.</summary>
public sealed record BenchOptions
{
    public required IReadOnlyList<int> MemoryMiB { get; init; }

    public required IReadOnlyList<double> DirtyMiBPerSecond { get; init; }

    /// <summary>tbf rate of the link, as tc spells it (e.g. 100mbit).</summary>
    public required string Rate { get; init; }

    /// <summary>A combination whose predicted pre-copy + stop-and-copy time exceeds this is skipped.</summary>
    public required double MaxSecondsPerCombination { get; init; }

    /// <summary>Where to write the Markdown table (besides stdout); empty: nowhere.</summary>
    public string? Markdown { get; init; }
}
