namespace EdgeMigrate.Simulation.Network;

/// <summary>
/// Service latency = access latency to the device's serving (nearest) site, growing with distance to it, plus
/// backhaul latency from the serving site to the hosting site, growing with the distance between them
/// (zero when they are the same site). Defaults: at 500 m hex spacing, a service one site away stays under
/// a 30 ms SLA, two away is borderline, three away breaks it.
/// </summary>
public sealed record LatencyModel
{
    public double AccessBaseMs { get; init; } = 4;

    public double AccessMsPerKm { get; init; } = 10;

    public double BackhaulBaseMs { get; init; } = 6;

    public double BackhaulMsPerKm { get; init; } = 15;

    public double AccessMs(double distanceMetres) => AccessBaseMs + AccessMsPerKm * distanceMetres / 1000;

    public double BackhaulMs(double distanceMetres, bool sameSite) => sameSite ? 0 : BackhaulBaseMs + BackhaulMsPerKm * distanceMetres / 1000;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(AccessBaseMs >= 0 && AccessMsPerKm >= 0)) { problems.Add("accessBaseMs and accessMsPerKm must be >= 0"); }
        if (!(BackhaulBaseMs >= 0 && BackhaulMsPerKm >= 0)) { problems.Add("backhaulBaseMs and backhaulMsPerKm must be >= 0"); }
        return problems;
    }
}
