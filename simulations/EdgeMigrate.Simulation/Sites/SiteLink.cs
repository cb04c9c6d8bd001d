namespace EdgeMigrate.Simulation.Sites;

/// <summary>
/// What is known about the path between two sites, e.g. from the agents' link estimates or measured migrations
/// (<c>edgemigrate-sim calibrate</c>). A missing value falls back to the scenario's model.
/// </summary>
/// <param name="From">Site index the service leaves (and, for <paramref name="RttMs"/>, either end).</param>
/// <param name="To">Site index the service moves to.</param>
/// <param name="BandwidthBytesPerSecond">Effective migration bandwidth from <paramref name="From"/> to <paramref name="To"/>.</param>
/// <param name="RttMs">Round-trip time between the two sites: the backhaul latency a device attached to one sees to a service on the other.</param>
public readonly record struct SiteLink(int From, int To, double? BandwidthBytesPerSecond, double? RttMs);
