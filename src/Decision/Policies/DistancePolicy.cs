using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// MobFogSim-style: migrate to the nearest site once the device is more than the threshold closer to it
/// than to the hosting site. Needs no latency measurements, only positions.
/// </summary>
public sealed class DistancePolicy(PolicySettings settings) : IHandoverPolicy
{
    private readonly double _thresholdMetres = settings.DistanceThresholdMetres;

    public string Name => PolicyCatalog.Distance.Name;

    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
    {
        if (observation.MigrationInFlight)
        {
            return HandoverDecision.Stay;
        }

        var hostingDistance = double.PositiveInfinity;
        var nearest = -1;
        var nearestDistance = double.PositiveInfinity;
        foreach (var site in observation.Sites.Span)
        {
            if (site.Site == observation.HostingSite)
            {
                hostingDistance = site.DistanceMetres;
            }

            if (site.DistanceMetres < nearestDistance || (site.DistanceMetres == nearestDistance && site.Site < nearest))
            {
                nearest = site.Site;
                nearestDistance = site.DistanceMetres;
            }
        }

        return nearest >= 0 && nearest != observation.HostingSite && hostingDistance - nearestDistance > _thresholdMetres
            ? HandoverDecision.MigrateTo(nearest)
            : HandoverDecision.Stay;
    }
}
