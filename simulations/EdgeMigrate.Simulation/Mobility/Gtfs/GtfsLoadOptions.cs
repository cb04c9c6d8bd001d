namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>Which part of a feed to simulate.</summary>
public sealed record GtfsLoadOptions
{
    /// <summary>Service-day time that becomes simulation time 0, seconds (07:30 = 27000).</summary>
    public double StartServiceSeconds { get; init; } = 7 * 3600;

    /// <summary>Trips overlapping [start, start + duration] are kept.</summary>
    public double DurationSeconds { get; init; } = 600;

    /// <summary>Keep at most this many trips (earliest first); 0 keeps all.</summary>
    public int MaxTrips { get; init; }

    /// <summary>Devices riding each trip's vehicle.</summary>
    public int DevicesPerVehicle { get; init; } = 1;

    /// <summary>Keep only trips of routes this accepts (route_id); null keeps all. See <see cref="RouteSelection"/>.</summary>
    public Func<string, bool>? RouteFilter { get; init; }
}
