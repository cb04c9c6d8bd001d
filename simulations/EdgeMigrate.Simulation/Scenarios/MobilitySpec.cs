namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Where devices come from, as written in a scenario file or on the command line.</summary>
public sealed class MobilitySpec
{
    /// <summary><c>gtfs</c>, <c>trace</c>, <c>random-waypoint</c>, <c>gauss-markov</c> or <c>manhattan</c>.</summary>
    public string Kind { get; set; } = "random-waypoint";

    /// <summary>GTFS zip or folder, or trace CSV.</summary>
    public string? Path { get; set; }

    /// <summary>GTFS: service-day time that becomes simulation time 0.</summary>
    public string Start { get; set; } = "07:00";

    /// <summary>GTFS: keep at most this many trips; 0 keeps all.</summary>
    public int MaxTrips { get; set; }

    public int DevicesPerVehicle { get; set; } = 1;

    /// <summary>GTFS: <c>all</c>, <c>half:0</c>, <c>half:1</c> (stable route-id hash) or route ids separated by commas.</summary>
    public string? Routes { get; set; }

    /// <summary>Synthetic models: number of devices.</summary>
    public int Devices { get; set; } = 100;

    /// <summary>Synthetic models: centre of the area as "lat,lon".</summary>
    public string? Origin { get; set; }

    public double AreaWidthMetres { get; set; } = 5000;

    public double AreaHeightMetres { get; set; } = 5000;

    public double MinSpeedMps { get; set; } = 2;

    public double MaxSpeedMps { get; set; } = 15;

    public double MaxPauseSeconds { get; set; } = 30;

    public double GaussMarkovAlpha { get; set; } = 0.85;

    public double BlockMetres { get; set; } = 200;
}
