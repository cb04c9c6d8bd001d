using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Costs.Calibration;

/// <summary>
/// One migration as the agents measured it (from the silo's migration history or the migration benchmark), with what
/// the cost model needs to predict it.
/// </summary>
public sealed record MeasuredMigration
{
    /// <summary>Names the migration in reports (its id, or the benchmark row).</summary>
    public required string Name { get; init; }

    /// <summary>Migrations that share a path and an engine share bandwidth and fixed costs (e.g. "container edge-a → edge-b").</summary>
    public required string Group { get; init; }

    /// <summary>Migrations of one workload share a dirty rate (e.g. "counter 4 MiB/s").</summary>
    public required string Workload { get; init; }

    public required MigrationMode Mode { get; init; }

    public required double MemoryBytes { get; init; }

    /// <summary>How long the service was frozen, as the target agent reported it.</summary>
    public required double DowntimeSeconds { get; init; }

    /// <summary>From the request until the service ran on the target.</summary>
    public required double TotalSeconds { get; init; }

    /// <summary>The dirty rate the workload was set up with, when known (the uncalibrated model's assumption).</summary>
    public double? NominalDirtyRateBytesPerSecond { get; init; }

    /// <summary>The link's nominal rate, when known (the uncalibrated model's assumption).</summary>
    public double? NominalBandwidthBytesPerSecond { get; init; }

    public double StopThresholdBytes { get; init; } = 4 * MigrationCostParameters.Mebibyte;

    public int MaxRounds { get; init; } = 8;

    /// <summary>Live rounds before the freeze, when known.</summary>
    public int? LiveRounds { get; init; }

    /// <summary>Bytes sent while frozen, when known.</summary>
    public double? FinalDeltaBytes { get; init; }

    /// <summary>The source and target node, when known (for per-pair links).</summary>
    public (string Source, string Target)? Path { get; init; }
}
