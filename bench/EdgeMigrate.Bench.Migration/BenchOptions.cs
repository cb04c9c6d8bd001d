namespace EdgeMigrate.Bench.Migration;

/// <summary>What to measure.</summary>
public sealed record BenchOptions
{
    /// <summary>Engines to run, one table each, in this order.</summary>
    public IReadOnlyList<BenchEngine> Engines { get; init; } = [BenchEngine.Container];

    public BenchTarget Target { get; init; } = BenchTarget.X64;

    /// <summary>Memory sizes, MiB; null: the engine's defaults (container 64 256, wasm 16 128).</summary>
    public IReadOnlyList<int>? MemoryMiB { get; init; }

    /// <summary>Container dirty rates, MiB/s.</summary>
    public required IReadOnlyList<double> DirtyMiBPerSecond { get; init; }

    /// <summary>WebAssembly dirty rates: 64 KiB pages memhog rewrites per request.</summary>
    public IReadOnlyList<int> DirtyPagesPerRequest { get; init; } = [0, 1, 8];

    /// <summary>Requests per second the wasm client sends (one outstanding at a time).</summary>
    public double RequestsPerSecond { get; init; } = 100;

    /// <summary>tbf rate of the link, as tc spells it (e.g. 100mbit).</summary>
    public required string Rate { get; init; }

    /// <summary>A combination whose predicted pre-copy + stop-and-copy time exceeds this is skipped.</summary>
    public required double MaxSecondsPerCombination { get; init; }

    /// <summary>Run the containerd-vs-runc comparison (same redis workload, both paths, local checkpoint/restore next to each migration) instead of the matrix.</summary>
    public bool ContainerdComparison { get; init; }

    /// <summary>Where to write the Markdown table (besides stdout); empty: nowhere.</summary>
    public string? Markdown { get; init; }

    public IReadOnlyList<int> MemoryFor(BenchEngine engine) => MemoryMiB ?? (engine == BenchEngine.Container ? [64, 256] : [16, 128]);
}
