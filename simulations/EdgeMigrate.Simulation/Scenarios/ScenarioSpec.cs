namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>A whole run as written in a scenario YAML file; command-line options override single values.</summary>
public sealed class ScenarioSpec
{
    public int Seed { get; set; } = 1;

    public string Duration { get; set; } = "10m";

    public string Step { get; set; } = "1s";

    public MobilitySpec Mobility { get; set; } = new();

    /// <summary><c>hex:METRES</c> or a CSV file <c>id,lat,lon,capacity,arch</c>.</summary>
    public string Sites { get; set; } = "hex:500";

    /// <summary>Capacity of generated hex sites (services); 0 = unlimited.</summary>
    public int SiteCapacity { get; set; }

    public List<string> Policies { get; set; } = ["never", "reactive", "distance", "oracle"];

    public PolicySpec Policy { get; set; } = new();

    public LatencySpec Latency { get; set; } = new();

    public MigrationSpec Migration { get; set; } = new();

    public int CandidateSites { get; set; } = 3;

    public double PingPongWindowSeconds { get; set; } = 60;

    /// <summary><c>container</c> (same-architecture moves only) or <c>wasm</c>.</summary>
    public string ServiceEngine { get; set; } = "container";
}
