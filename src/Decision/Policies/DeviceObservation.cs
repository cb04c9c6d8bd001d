using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// One device at one instant, as a policy sees it; built by the simulator per step and by the silo per
/// telemetry message. <see cref="Sites"/> must contain the hosting site; the caller may reuse its buffer after
/// <see cref="IHandoverPolicy.Decide"/> returns, so policies must not keep it.
/// </summary>
/// <param name="Device">The caller's dense device index (only future lookups such as the oracle's use it).</param>
/// <param name="TimeSeconds">Seconds on the caller's clock; only differences matter.</param>
/// <param name="Position">Where the device is.</param>
/// <param name="ServingSite">The site the device is attached to (radio/access), -1 if none.</param>
/// <param name="HostingSite">Where the device's service runs now.</param>
/// <param name="MigrationInFlight">A migration of this device's service has started and not finished.</param>
/// <param name="Sites">Candidate sites with the latency the service would have there; includes the hosting site.</param>
public readonly record struct DeviceObservation(
    int Device,
    double TimeSeconds,
    GeoPoint Position,
    int ServingSite,
    int HostingSite,
    bool MigrationInFlight,
    ReadOnlyMemory<SiteMeasurement> Sites)
{
    /// <summary>The entry for <see cref="HostingSite"/>, or null when the caller did not include it.</summary>
    public SiteMeasurement? Hosting
    {
        get
        {
            foreach (var site in Sites.Span)
            {
                if (site.Site == HostingSite)
                {
                    return site;
                }
            }

            return null;
        }
    }
}
