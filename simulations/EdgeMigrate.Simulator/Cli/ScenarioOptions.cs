using System.CommandLine;
using System.Globalization;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Cli;

/// <summary>
/// The options shared by <c>run</c> and <c>sweep</c>. A scenario file supplies the base; each option given on the
/// command line overrides its one value, so a file plus <c>--seed 7</c> means exactly that.
/// </summary>
internal sealed class ScenarioOptions
{
    public Option<string?> Scenario { get; } = new("--scenario") { Description = "Scenario YAML file (see simulations/scenarios/); options below override its values" };

    public Option<string?> Gtfs { get; } = new("--gtfs") { Description = "GTFS feed (zip or folder): vehicles move along shapes.txt on the stop_times.txt schedule" };

    public Option<string?> Trace { get; } = new("--trace") { Description = "CSV trace with columns time,device,lat,lon" };

    public Option<string?> Mobility { get; } = new("--mobility") { Description = "Synthetic mobility: random-waypoint, gauss-markov or manhattan" };

    public Option<int?> Devices { get; } = new("--devices") { Description = "Synthetic mobility: number of devices" };

    public Option<int?> DevicesPerVehicle { get; } = new("--devices-per-vehicle") { Description = "GTFS: devices riding each vehicle" };

    public Option<string?> Start { get; } = new("--start") { Description = "GTFS: service-day time that becomes simulation time 0, e.g. 07:30" };

    public Option<int?> MaxTrips { get; } = new("--max-trips") { Description = "GTFS: simulate at most this many trips (earliest first)" };

    public Option<double?> AreaMetres { get; } = new("--area") { Description = "Synthetic mobility: side of the square area, metres" };

    public Option<string?> Origin { get; } = new("--origin") { Description = "Synthetic mobility: centre of the area as lat,lon" };

    public Option<string?> Duration { get; } = new("--duration") { Description = "Simulated time, e.g. 600, 10m, 1h" };

    public Option<string?> Step { get; } = new("--step") { Description = "Resolution, e.g. 1s" };

    public Option<string?> Sites { get; } = new("--sites") { Description = "hex:METRES for a hexagonal grid over the mobility's area, or a CSV file id,lat,lon,capacity,arch" };

    public Option<int?> SiteCapacity { get; } = new("--site-capacity") { Description = "Services each generated hex site can host (default unlimited)" };

    public Option<string?> Policies { get; } = new("--policies")
    {
        Description = $"Comma-separated, from: {string.Join(", ", PolicyCatalog.Names())} (default {string.Join(",", SimulationSettings.DefaultPolicies)}; predictive needs --model)",
    };

    /// <summary>One option per policy parameter of the catalog (e.g. --hysteresis-ms), setting the scenario's <c>policy.NAME</c>.</summary>
    public IReadOnlyList<(PolicyParameter Parameter, Option<double?> Option)> PolicyParameterOptions { get; } =
        [.. PolicyParameters.All.Select(p => (p, new Option<double?>("--" + p.CommandLineName) { Description = string.Create(CultureInfo.InvariantCulture, $"{p.Description} (default {p.Default})") }))];

    public Option<int?> Parallelism { get; } = new("--threads") { Description = "Worker threads (default: all cores); results do not depend on it" };

    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed for all randomness; same seed, same results" };





    public Option<double?> MemoryMiB { get; } = new("--memory-mib") { Description = "Service memory to migrate, MiB (default 256)" };

    public Option<double?> DirtyRateMiBps { get; } = new("--dirty-rate-mibps") { Description = "Memory dirty rate during pre-copy, MiB/s (default 4)" };

    public Option<double?> BandwidthMbps { get; } = new("--bandwidth-mbps") { Description = "Backhaul bandwidth between sites, Mbit/s (default 100)" };

    public Option<string?> Mode { get; } = new("--mode") { Description = "pre-copy, stop-and-copy or post-copy" };

    public Option<string?> Routes { get; } = new("--routes") { Description = "GTFS: all, half:0 or half:1 (routes split in two by a stable hash of route_id), or route ids separated by commas" };

    public Option<double?> JitterMs { get; } = new("--jitter-ms") { Description = "Standard deviation of seeded noise on the latencies policies measure, ms (default 0: exact)" };

    public Option<int?> CandidateSites { get; } = new("--candidate-sites") { Description = "Nearest sites offered to policies as candidates (default 3; the hosting site is always added)" };




    public Option<bool> NoProgress { get; } = new("--no-progress") { Description = "Do not draw a progress bar" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            Scenario, Gtfs, Trace, Mobility, Devices, DevicesPerVehicle, Start, MaxTrips, AreaMetres, Origin, Duration, Step, Sites, SiteCapacity,
            Policies, Seed, Routes, JitterMs, CandidateSites, MemoryMiB, DirtyRateMiBps, BandwidthMbps, Mode, Parallelism, NoProgress,
        }.Concat(PolicyParameterOptions.Select(p => (Option)p.Option)))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Loads the scenario's inputs, with the thread count of <c>--threads</c> (which never changes a result).</summary>
    public PreparedScenario Prepare(ParseResult result, ScenarioSpec spec, string baseDirectory)
    {
        var prepared = ScenarioBuilder.Prepare(spec, baseDirectory);
        return result.GetValue(Parallelism) is { } threads
            ? prepared with { Settings = prepared.Settings with { Parallelism = threads > 0 ? threads : throw new ScenarioException("--threads must be >= 1") } }
            : prepared;
    }

    /// <summary>The effective scenario and the folder its relative paths resolve against.</summary>
    public (ScenarioSpec Spec, string BaseDirectory) Resolve(ParseResult result)
    {
        var scenarioPath = result.GetValue(Scenario);
        var spec = scenarioPath is null ? new ScenarioSpec() : ScenarioFile.Load(scenarioPath);
        var baseDirectory = scenarioPath is null ? Environment.CurrentDirectory : Path.GetDirectoryName(Path.GetFullPath(scenarioPath))!;

        var sources = new[] { result.GetValue(Gtfs), result.GetValue(Trace), result.GetValue(Mobility) }.Count(v => v is not null);
        if (sources > 1)
        {
            throw new ScenarioException("give only one of --gtfs, --trace and --mobility");
        }

        // Paths typed on the command line are relative to the working directory, not to the scenario file.
        if (result.GetValue(Gtfs) is { } gtfs)
        {
            spec.Mobility.Kind = "gtfs";
            spec.Mobility.Path = Path.GetFullPath(gtfs);
        }

        if (result.GetValue(Trace) is { } trace)
        {
            spec.Mobility.Kind = "trace";
            spec.Mobility.Path = Path.GetFullPath(trace);
        }

        if (result.GetValue(Mobility) is { } kind) { spec.Mobility.Kind = kind; }
        if (result.GetValue(Devices) is { } devices) { spec.Mobility.Devices = devices; }
        if (result.GetValue(DevicesPerVehicle) is { } perVehicle) { spec.Mobility.DevicesPerVehicle = perVehicle; }
        if (result.GetValue(Start) is { } start) { spec.Mobility.Start = start; }
        if (result.GetValue(MaxTrips) is { } maxTrips) { spec.Mobility.MaxTrips = maxTrips; }
        if (result.GetValue(AreaMetres) is { } area) { spec.Mobility.AreaWidthMetres = spec.Mobility.AreaHeightMetres = area; }
        if (result.GetValue(Origin) is { } origin) { spec.Mobility.Origin = origin; }
        if (result.GetValue(Duration) is { } duration) { spec.Duration = duration; }
        if (result.GetValue(Step) is { } step) { spec.Step = step; }
        if (result.GetValue(Sites) is { } sites) { spec.Sites = sites.StartsWith("hex:", StringComparison.Ordinal) ? sites : Path.GetFullPath(sites); }
        if (result.GetValue(SiteCapacity) is { } capacity) { spec.SiteCapacity = capacity; }
        if (result.GetValue(Policies) is { } policies) { spec.Policies = [.. policies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; }
        if (result.GetValue(Seed) is { } seed) { spec.Seed = seed; }
        if (result.GetValue(Routes) is { } routes) { spec.Mobility.Routes = routes; }
        if (result.GetValue(JitterMs) is { } jitter) { spec.Latency.MeasurementJitterMs = jitter; }
        if (result.GetValue(CandidateSites) is { } candidates) { spec.CandidateSites = candidates; }
        foreach (var (parameter, option) in PolicyParameterOptions)
        {
            if (result.GetValue(option) is { } value) { spec.Policy[parameter.Name] = value; }
        }

        if (result.GetValue(MemoryMiB) is { } memory) { spec.Migration.MemoryMiB = memory; }
        if (result.GetValue(DirtyRateMiBps) is { } dirty) { spec.Migration.DirtyRateMiBps = dirty; }
        if (result.GetValue(BandwidthMbps) is { } bandwidth) { spec.Migration.BandwidthMbps = bandwidth; }
        if (result.GetValue(Mode) is { } mode) { spec.Migration.Mode = mode; }
        return (spec, baseDirectory);
    }
}
