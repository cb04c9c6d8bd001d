using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Costs;

/// <summary>
/// The pre-copy cost model of DESIGN.md. With r = D/B, live round i (from 0) sends M·rⁱ: round 0 copies all
/// memory, each later round the pages dirtied while the previous one was on the wire. After n live rounds
/// M·rⁿ is left; iteration stops once that is at most the stop threshold, at the round cap, or when a round did not
/// shrink below <see cref="MigrationCostParameters.MaxRoundRatio"/> of the previous one (as the agents do). The
/// remainder goes over while the service is frozen: downtime = M·rⁿ/B + fixed cost.
/// r ≥ 1 never converges, so pre-copy falls back to stop-and-copy (downtime = M/B + fixed).
/// With a round overhead c (calibrated from measured migrations: a CRIU dump per round), round i lasts
/// Sᵢ/B + c and the next round sends what was dirtied meanwhile, D·(Sᵢ/B + c), at most M. A setup time (commands,
/// bundle) adds to the duration, not to the downtime.
/// </summary>
public static class PreCopyCostModel
{
    /// <summary>Estimate one migration; pure and allocation-free so policies may call it per decision.</summary>
    public static MigrationCostEstimate Estimate(MigrationCostParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var memory = parameters.MemoryBytes;
        var bandwidth = parameters.BandwidthBytesPerSecond;
        var fixedCost = parameters.FixedDowntimeSeconds;

        var setup = parameters.SetupSeconds;
        switch (parameters.Mode)
        {
            case MigrationMode.StopAndCopy:
                return StopAndCopy(memory, bandwidth, fixedCost, setup, converged: true);
            case MigrationMode.PostCopy:
                // Resume on the target at once, then pull every page; the slowdown while pages fault in is not modelled.
                return new MigrationCostEstimate(MigrationMode.PostCopy, 0, memory, setup + fixedCost + memory / bandwidth, fixedCost, 0, Converged: true);
        }

        var ratio = parameters.DirtyRateBytesPerSecond / bandwidth;
        if (ratio >= 1 && memory > parameters.StopThresholdBytes && parameters.FallBackToStopAndCopy)
        {
            return StopAndCopy(memory, bandwidth, fixedCost, setup, converged: false);
        }

        var rounds = 0;
        var sent = 0.0;
        var remainder = memory;
        var overhead = parameters.RoundOverheadSeconds;
        var dirtyDuringOverhead = parameters.DirtyRateBytesPerSecond * overhead;
        var previous = double.PositiveInfinity;
        // Round 0 always runs: even a tiny service is copied live once before the freeze.
        do
        {
            var round = remainder;
            sent += round;
            remainder = Math.Min(memory, (round * ratio) + dirtyDuringOverhead);
            rounds++;
            if (!(round < previous * parameters.MaxRoundRatio))
            {
                break; // this round did not shrink enough: the agent freezes after it
            }

            previous = round;
        }
        while (remainder > parameters.StopThresholdBytes && rounds < parameters.MaxRounds);

        var downtime = remainder / bandwidth + fixedCost;
        var converged = remainder <= parameters.StopThresholdBytes;
        var live = sent / bandwidth + rounds * overhead;
        return new MigrationCostEstimate(MigrationMode.PreCopy, rounds, sent + remainder, setup + live + downtime, downtime, remainder, converged);
    }

    private static MigrationCostEstimate StopAndCopy(double memory, double bandwidth, double fixedCost, double setup, bool converged)
    {
        var downtime = memory / bandwidth + fixedCost;
        return new MigrationCostEstimate(MigrationMode.StopAndCopy, 0, memory, setup + downtime, downtime, memory, converged);
    }
}
