using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// 3GPP A3-style: when a neighbour's latency beats the hosting site's by more than the hysteresis margin
/// continuously for the time-to-trigger, migrate to it. The margin filters jitter, the timer filters
/// brief excursions; both trade ping-pongs against time spent on a worse site.
/// </summary>
public sealed class ReactivePolicy(PolicySettings settings) : IHandoverPolicy
{
    private readonly double _hysteresisMs = settings.HysteresisMs;
    private readonly double _timeToTriggerSeconds = settings.TimeToTriggerSeconds;

    public string Name => PolicyCatalog.Reactive.Name;

    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
    {
        if (observation.MigrationInFlight)
        {
            state.CandidateSite = -1;
            return HandoverDecision.Stay;
        }

        var hostingLatency = double.PositiveInfinity;
        var best = -1;
        var bestLatency = double.PositiveInfinity;
        foreach (var site in observation.Sites.Span)
        {
            if (site.Site == observation.HostingSite)
            {
                hostingLatency = site.LatencyMs;
            }
            else if (site.LatencyMs < bestLatency || (site.LatencyMs == bestLatency && site.Site < best))
            {
                best = site.Site;
                bestLatency = site.LatencyMs;
            }
        }

        if (best < 0 || !(bestLatency + _hysteresisMs < hostingLatency))
        {
            state.CandidateSite = -1;
            return HandoverDecision.Stay;
        }

        if (state.CandidateSite != best)
        {
            // A different neighbour restarts the timer, as A3 keeps one trigger per neighbour.
            state.CandidateSite = best;
            state.CandidateSinceSeconds = observation.TimeSeconds;
        }

        if (observation.TimeSeconds - state.CandidateSinceSeconds >= _timeToTriggerSeconds)
        {
            state.CandidateSite = -1;
            return HandoverDecision.MigrateTo(best);
        }

        return HandoverDecision.Stay;
    }
}
