using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Costs.Calibration;

/// <summary>
/// The cost model's parameters fitted to one group's measured migrations (one path and engine): effective bandwidth,
/// fixed freeze/restore cost and per-round overhead (each a constant plus a part growing with memory: CRIU dumps
/// every page), setup time, and a dirty rate per workload.
/// </summary>
public sealed record GroupCalibration
{
    public required string Group { get; init; }

    public required double BandwidthBytesPerSecond { get; init; }

    public required double FixedSeconds { get; init; }

    public required double FixedSecondsPerGiB { get; init; }

    public required double RoundOverheadSeconds { get; init; }

    public required double RoundOverheadSecondsPerGiB { get; init; }

    public required double SetupSeconds { get; init; }

    /// <summary>Fitted dirty rate per workload of the group.</summary>
    public required IReadOnlyDictionary<string, double> DirtyRateBytesPerSecond { get; init; }

    /// <summary>Migrations the fit used.</summary>
    public required int Migrations { get; init; }

    /// <summary>Root mean square of ln(predicted / measured) over downtimes and durations after the fit.</summary>
    public required double RmsLogError { get; init; }

    /// <summary>The cost model's parameters for a service of this group: its memory, workload (dirty rate) and mode.</summary>
    /// <param name="workload">Whose dirty rate (unknown: the group's highest).</param>
    /// <param name="memoryBytes">The service's memory.</param>
    /// <param name="mode">Migration mode.</param>
    /// <param name="stopThresholdBytes">Pre-copy stop threshold.</param>
    /// <param name="maxRounds">Pre-copy round cap.</param>
    /// <param name="asMeasured">Model what an agent asked for pre-copy does even when it cannot converge (as the fit did), instead of planning stop-and-copy then.</param>
    public MigrationCostParameters ParametersFor(string workload, double memoryBytes, MigrationMode mode, double stopThresholdBytes = 4 * MigrationCostParameters.Mebibyte, int maxRounds = 8, bool asMeasured = false)
    {
        var gib = memoryBytes / (1024.0 * 1024 * 1024);
        return new MigrationCostParameters
        {
            MemoryBytes = memoryBytes,
            BandwidthBytesPerSecond = BandwidthBytesPerSecond,
            DirtyRateBytesPerSecond = DirtyRateBytesPerSecond.TryGetValue(workload, out var dirty) ? dirty : DirtyRateBytesPerSecond.Values.DefaultIfEmpty(0).Max(),
            FixedDowntimeSeconds = FixedSeconds + FixedSecondsPerGiB * gib,
            RoundOverheadSeconds = RoundOverheadSeconds + RoundOverheadSecondsPerGiB * gib,
            SetupSeconds = SetupSeconds,
            StopThresholdBytes = stopThresholdBytes,
            MaxRounds = maxRounds,
            Mode = mode,
            FallBackToStopAndCopy = !asMeasured,
        };
    }
}
