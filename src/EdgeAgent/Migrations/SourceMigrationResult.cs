namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>What the source measured (also what the benchmark records).</summary>
public sealed record SourceMigrationResult
{
    public required string MigrationId { get; init; }

    public required string Outcome { get; init; }

    public int LiveRounds { get; init; }

    public long WireBytes { get; init; }

    public long FinalDeltaBytes { get; init; }

    public long ImageBytes { get; init; }

    public double TotalMs { get; init; }

    /// <summary>Freeze on the source to running on the target, as the target computed it.</summary>
    public double? DowntimeMs { get; init; }

    /// <summary>Freeze on the source until the source heard "restored" (an upper bound: includes the answer's way back).</summary>
    public double? SourceObservedDowntimeMs { get; init; }

    public double? FinalDumpMs { get; init; }

    public double? RestoreMs { get; init; }

    public IReadOnlyList<long> RoundDeltaBytes { get; init; } = [];

    public int Connections { get; init; }

    public int Rewinds { get; init; }

    public string? Error { get; init; }
}
