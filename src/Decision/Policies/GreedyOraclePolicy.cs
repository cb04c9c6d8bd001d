using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Simulation only: knows each device's future and migrates so that the move completes exactly when the hosting
/// site would stop meeting the SLA, to the site that then keeps meeting it longest. Choosing the
/// furthest-reaching site at each forced switch is the greedy interval cover, which needs the fewest moves;
/// and moving only when forced avoids paying downtime for moves that buy nothing. A strong heuristic with perfect
/// knowledge, not a bound: a policy can beat it (a move's downtime can be cheaper than waiting for the forced
/// switch). The bound is <see cref="OptimumPolicy"/>. Its plans drive the training runs of the prediction models
/// because it leaves services on their hosts as long as the SLA allows.
/// </summary>
public sealed class GreedyOraclePolicy(PolicySettings settings, IFutureLookup future, Func<int, int, double> migrationSeconds) : IHandoverPolicy
{
    /// <summary>How far ahead one plan looks; bounds the cost of planning on long runs.</summary>
    public const double HorizonSeconds = 900;

    /// <summary>Distinct candidate sites a plan compares; beyond a handful they are never the best.</summary>
    private const int MaxCandidates = 8;

    private readonly double _slaMs = settings.SlaLatencyMs;

    public string Name => PolicyCatalog.GreedyOracle.Name;

    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
    {
        if (observation.MigrationInFlight)
        {
            state.PlannedForHost = -1;
            return HandoverDecision.Stay;
        }

        var now = observation.TimeSeconds;
        var stale = state.PlannedForHost != observation.HostingSite || (state.PlannedTarget < 0 && now >= state.PlannedStartSeconds);
        if (stale)
        {
            Plan(observation.Device, now, observation.HostingSite, ref state);
        }

        if (state.PlannedTarget >= 0 && now + (future.StepSeconds * 1e-6) >= state.PlannedStartSeconds)
        {
            var target = state.PlannedTarget;
            state.PlannedForHost = -1;
            return HandoverDecision.MigrateTo(target);
        }

        return HandoverDecision.Stay;
    }

    private void Plan(int device, double now, int host, ref DevicePolicyState state)
    {
        var step = future.StepSeconds;
        var end = Math.Min(future.EndSeconds, now + HorizonSeconds);
        state.PlannedForHost = host;
        state.PlannedTarget = -1;

        var violationAt = FirstViolation(device, now, end, host);
        if (violationAt is null)
        {
            // Fine for the whole horizon: look again half a horizon later.
            state.PlannedStartSeconds = now + HorizonSeconds / 2;
            return;
        }

        var tv = violationAt.Value;
        Span<int> candidates = stackalloc int[MaxCandidates];
        var count = 0;
        for (var t = tv; t <= end && count < MaxCandidates; t += step)
        {
            var serving = future.ServingSiteAt(device, t);
            if (serving >= 0 && serving != host && !candidates[..count].Contains(serving))
            {
                candidates[count++] = serving;
            }
        }

        var best = -1;
        var bestReach = double.NegativeInfinity;
        var bestLatency = double.PositiveInfinity;
        foreach (var candidate in candidates[..count])
        {
            var latencyAtSwitch = future.LatencyMsAt(device, tv, candidate);
            if (!(latencyAtSwitch <= _slaMs))
            {
                continue;
            }

            var reach = FirstViolation(device, tv, end, candidate) ?? end + step;
            if (reach > bestReach || (reach == bestReach && (latencyAtSwitch < bestLatency || (latencyAtSwitch == bestLatency && candidate < best))))
            {
                best = candidate;
                bestReach = reach;
                bestLatency = latencyAtSwitch;
            }
        }

        if (best < 0)
        {
            // Nothing meets the SLA at the switch time (out of coverage): retry a few steps later.
            state.PlannedStartSeconds = now + 5 * step;
            return;
        }

        state.PlannedTarget = best;
        state.PlannedStartSeconds = tv - migrationSeconds(host, best);
    }

    private double? FirstViolation(int device, double from, double end, int host)
    {
        for (var t = from; t <= end; t += future.StepSeconds)
        {
            // NaN (device inactive) compares false: an absent device violates nothing.
            if (future.LatencyMsAt(device, t, host) > _slaMs)
            {
                return t;
            }
        }

        return null;
    }
}
