using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Simulation.Mobility.Synthetic;

/// <summary>Parameters shared by the synthetic mobility models; the area is a rectangle centred on <see cref="Origin"/>.</summary>
public sealed record SyntheticMobilitySettings
{
    public int Devices { get; init; } = 100;

    public int Seed { get; init; } = 1;

    /// <summary>Centre of the area (default: Staten Island, where the bundled GTFS feed runs).</summary>
    public GeoPoint Origin { get; init; } = new(40.5795, -74.1502);

    public double AreaWidthMetres { get; init; } = 5000;

    public double AreaHeightMetres { get; init; } = 5000;

    public double MinSpeedMps { get; init; } = 2;

    public double MaxSpeedMps { get; init; } = 15;

    /// <summary>Random waypoint: pause at each waypoint uniformly in [0, this].</summary>
    public double MaxPauseSeconds { get; init; } = 30;

    /// <summary>Gauss-Markov memory: 0 is a random walk, 1 straight lines.</summary>
    public double GaussMarkovAlpha { get; init; } = 0.85;

    /// <summary>Manhattan grid: distance between parallel streets.</summary>
    public double BlockMetres { get; init; } = 200;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Devices < 1) { problems.Add("devices must be >= 1"); }
        if (!(AreaWidthMetres > 0 && AreaHeightMetres > 0)) { problems.Add("area width and height must be > 0"); }
        if (!(MinSpeedMps > 0 && MaxSpeedMps >= MinSpeedMps)) { problems.Add("speeds need 0 < minSpeedMps <= maxSpeedMps"); }
        if (!(MaxPauseSeconds >= 0)) { problems.Add("maxPauseSeconds must be >= 0"); }
        if (!(GaussMarkovAlpha is >= 0 and <= 1)) { problems.Add("gaussMarkovAlpha must be within [0, 1]"); }
        if (!(BlockMetres > 0 && BlockMetres <= Math.Min(AreaWidthMetres, AreaHeightMetres))) { problems.Add("blockMetres must be > 0 and fit in the area"); }
        return problems;
    }
}
