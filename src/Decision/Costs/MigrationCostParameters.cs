using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Costs;

/// <summary>
/// What a migration's cost depends on. Bytes and bytes per second throughout, so calibration from measured
/// agent migrations needs no unit juggling.
/// </summary>
public sealed record MigrationCostParameters
{
    public const double Mebibyte = 1024 * 1024;

    /// <summary>Service memory M that has to cross the wire.</summary>
    public required double MemoryBytes { get; init; }

    /// <summary>Transfer bandwidth B between the two sites.</summary>
    public required double BandwidthBytesPerSecond { get; init; }

    /// <summary>Rate D at which the running service dirties memory during pre-copy.</summary>
    public required double DirtyRateBytesPerSecond { get; init; }

    /// <summary>Pre-copy stops iterating once the remainder is at most this (same default as the agents' limits).</summary>
    public double StopThresholdBytes { get; init; } = 4 * Mebibyte;

    /// <summary>Round cap: live rounds never exceed this, converged or not.</summary>
    public int MaxRounds { get; init; } = 8;

    /// <summary>Freeze, final checkpoint and restore overhead paid during every downtime, seconds.</summary>
    public double FixedDowntimeSeconds { get; init; } = 0.2;

    /// <summary>
    /// Seconds each live round spends besides sending (a full CRIU dump and hashing when pages are diffed by content);
    /// the service keeps dirtying memory meanwhile, so it also grows the next round. 0 (default): rounds are pure transfer.
    /// </summary>
    public double RoundOverheadSeconds { get; init; }

    /// <summary>
    /// Pre-copy goes on only while each round sends less than this fraction of the previous one (the agents stop at 0.9:
    /// a round that did not shrink by 10 % means the rest will not converge either).
    /// </summary>
    public double MaxRoundRatio { get; init; } = 0.9;

    /// <summary>
    /// Seconds from the decision to the first live round (commands to both agents, the target's acceptance, the
    /// container bundle); part of the migration's duration, not of its downtime. 0 (default): none.
    /// </summary>
    public double SetupSeconds { get; init; }

    /// <summary>
    /// Pre-copy with r ≥ 1 cannot converge: true (default) models the sensible choice, stop-and-copy; false models what
    /// an agent asked for pre-copy does anyway (live rounds until one does not shrink, then the whole rest frozen), which
    /// is what measured pre-copy migrations show.
    /// </summary>
    public bool FallBackToStopAndCopy { get; init; } = true;

    public MigrationMode Mode { get; init; } = MigrationMode.PreCopy;

    /// <summary>The simulator's defaults: 256 MiB service, 4 MiB/s dirty rate, 100 Mbit/s backhaul.</summary>
    public static MigrationCostParameters Default { get; } = new()
    {
        MemoryBytes = 256 * Mebibyte,
        BandwidthBytesPerSecond = 100e6 / 8,
        DirtyRateBytesPerSecond = 4 * Mebibyte,
    };

    /// <summary>Problems with the values, each naming the field; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(MemoryBytes >= 0 && double.IsFinite(MemoryBytes))) { problems.Add("memoryBytes must be a finite value >= 0"); }
        if (!(BandwidthBytesPerSecond > 0 && double.IsFinite(BandwidthBytesPerSecond))) { problems.Add("bandwidthBytesPerSecond must be > 0"); }
        if (!(DirtyRateBytesPerSecond >= 0 && double.IsFinite(DirtyRateBytesPerSecond))) { problems.Add("dirtyRateBytesPerSecond must be >= 0"); }
        if (!(StopThresholdBytes >= 0)) { problems.Add("stopThresholdBytes must be >= 0"); }
        if (MaxRounds < 1) { problems.Add("maxRounds must be >= 1"); }
        if (!(FixedDowntimeSeconds >= 0)) { problems.Add("fixedDowntimeSeconds must be >= 0"); }
        if (!(RoundOverheadSeconds >= 0 && double.IsFinite(RoundOverheadSeconds))) { problems.Add("roundOverheadSeconds must be >= 0"); }
        if (!(MaxRoundRatio > 0 && MaxRoundRatio <= 1)) { problems.Add("maxRoundRatio must be within (0, 1]"); }
        if (!(SetupSeconds >= 0 && double.IsFinite(SetupSeconds))) { problems.Add("setupSeconds must be >= 0"); }
        return problems;
    }
}
