using EdgeMigrate.Simulation.Engine;

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

    /// <summary>Names from the policy catalog (<c>PolicyCatalog</c>), compared in one run.</summary>
    public List<string> Policies { get; set; } = [.. SimulationSettings.DefaultPolicies];

    /// <summary>
    /// Policy parameters shared by every policy of the run, by their <c>PolicySettings</c> names (<c>hysteresisMs</c>,
    /// <c>slaLatencyMs</c>, ...: <c>PolicyParameters.All</c>); a parameter not given keeps its <c>PolicySettings</c> default.
    /// </summary>
    public Dictionary<string, double> Policy { get; set; } = [];

    /// <summary>Optional CSV of per-site-pair links <c>from,to,mbps,rttMs</c> (site ids of <see cref="Sites"/>).</summary>
    public string? Links { get; set; }

    public LatencySpec Latency { get; set; } = new();

    public MigrationSpec Migration { get; set; } = new();

    public int CandidateSites { get; set; } = 3;

    public double PingPongWindowSeconds { get; set; } = 60;

    /// <summary><c>container</c> (same-architecture moves only) or <c>wasm</c>.</summary>
    public string ServiceEngine { get; set; } = "container";
}
