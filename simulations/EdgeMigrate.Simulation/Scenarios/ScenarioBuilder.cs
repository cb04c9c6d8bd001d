using System.Globalization;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Mobility.Gtfs;
using EdgeMigrate.Simulation.Mobility.Synthetic;
using EdgeMigrate.Simulation.Mobility.Traces;
using EdgeMigrate.Simulation.Network;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Turns a <see cref="ScenarioSpec"/> into loaded mobility, sites and engine settings.</summary>
public static class ScenarioBuilder
{
    /// <param name="spec">The scenario.</param>
    /// <param name="baseDirectory">Relative paths in the spec resolve against this (the scenario file's folder, or the working directory).</param>
    public static PreparedScenario Prepare(ScenarioSpec spec, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var settings = Settings(spec);
        var mobility = Mobility(spec, settings, baseDirectory, out var description);
        var sites = new SiteLayout(Sites(spec, mobility, baseDirectory));
        var links = string.IsNullOrWhiteSpace(spec.Links) ? [] : SiteLinksCsvLoader.Load(Resolve(spec.Links, baseDirectory), sites);
        return new PreparedScenario(settings, mobility, sites, description, links);
    }

    public static SimulationSettings Settings(ScenarioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var migration = spec.Migration;
        var mode = migration.Mode switch
        {
            "pre-copy" => MigrationMode.PreCopy,
            "stop-and-copy" => MigrationMode.StopAndCopy,
            "post-copy" => MigrationMode.PostCopy,
            var other => throw new ScenarioException($"migration.mode '{other}' is unknown; use pre-copy, stop-and-copy or post-copy"),
        };
        var engine = spec.ServiceEngine switch
        {
            "container" => WorkloadEngine.Container,
            "wasm" => WorkloadEngine.Wasm,
            var other => throw new ScenarioException($"serviceEngine '{other}' is unknown; use container or wasm"),
        };
        var settings = new SimulationSettings
        {
            Seed = spec.Seed,
            DurationSeconds = Seconds(spec.Duration, "duration"),
            StepSeconds = Seconds(spec.Step, "step"),
            Policies = [.. spec.Policies.Select(name => PolicySettingsOf(spec, name.Trim(), mode))],
            Latency = new LatencyModel
            {
                AccessBaseMs = spec.Latency.AccessBaseMs,
                AccessMsPerKm = spec.Latency.AccessMsPerKm,
                BackhaulBaseMs = spec.Latency.BackhaulBaseMs,
                BackhaulMsPerKm = spec.Latency.BackhaulMsPerKm,
                MeasurementJitterMs = spec.Latency.MeasurementJitterMs,
                JitterSeed = spec.Seed,
            },
            Migration = new MigrationCostParameters
            {
                MemoryBytes = migration.MemoryMiB * MigrationCostParameters.Mebibyte,
                DirtyRateBytesPerSecond = migration.DirtyRateMiBps * MigrationCostParameters.Mebibyte,
                BandwidthBytesPerSecond = migration.BandwidthMbps * 1e6 / 8,
                StopThresholdBytes = migration.StopThresholdMiB * MigrationCostParameters.Mebibyte,
                MaxRounds = migration.MaxRounds,
                FixedDowntimeSeconds = migration.FixedDowntimeSeconds,
                RoundOverheadSeconds = migration.RoundOverheadSeconds,
                SetupSeconds = migration.SetupSeconds,
                Mode = mode,
            },
            CandidateSites = spec.CandidateSites,
            PingPongWindowSeconds = spec.PingPongWindowSeconds,
            ServiceEngine = engine,
        };
        var problems = settings.Validate();
        return problems.Count == 0 ? settings : throw new ScenarioException(string.Join("; ", problems));
    }

    /// <summary>The scenario's policy parameters bound into <see cref="PolicySettings"/> by their names (<see cref="PolicyParameters"/>).</summary>
    public static PolicySettings PolicySettingsOf(ScenarioSpec spec, string name, MigrationMode mode)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var settings = new PolicySettings { Policy = name, Mode = mode };
        foreach (var (key, value) in spec.Policy)
        {
            var parameter = PolicyParameters.Find(key)
                ?? throw new ScenarioException($"policy.{key} is not a policy parameter; use one of {string.Join(", ", PolicyParameters.All.Select(p => p.Name))}");
            settings = parameter.With(settings, value);
        }

        return settings;
    }

    /// <summary>The scenario with every policy parameter written out (defaults included), as scenario.yaml records it.</summary>
    public static ScenarioSpec WithEffectivePolicyParameters(ScenarioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var effective = PolicySettingsOf(spec, PolicyCatalog.Never.Name, MigrationMode.PreCopy);
        spec.Policy = PolicyParameters.All.ToDictionary(p => p.Name, p => p.Get(effective), StringComparer.Ordinal);
        return spec;
    }

    private static IMobilityModel Mobility(ScenarioSpec spec, SimulationSettings settings, string baseDirectory, out string description)
    {
        var m = spec.Mobility;
        switch (m.Kind)
        {
            case "gtfs":
            {
                var path = RequiredPath(m.Path, baseDirectory, "mobility.path (--gtfs)");
                double start;
                try
                {
                    start = GtfsTime.Parse(m.Start);
                }
                catch (FormatException e)
                {
                    throw new ScenarioException($"mobility.start (--start): {e.Message}", e);
                }

                var gtfs = GtfsFeedLoader.Load(path, new GtfsLoadOptions
                {
                    StartServiceSeconds = start,
                    DurationSeconds = settings.DurationSeconds,
                    MaxTrips = m.MaxTrips,
                    DevicesPerVehicle = m.DevicesPerVehicle,
                    RouteFilter = Routes(m.Routes),
                });
                if (gtfs.DeviceCount == 0)
                {
                    throw new ScenarioException($"{path}: no trip runs between {GtfsTime.Format(start)} and {GtfsTime.Format(start + settings.DurationSeconds)}; pick another --start");
                }

                var routes = string.IsNullOrWhiteSpace(m.Routes) ? "" : $" (routes {m.Routes})";
                description = string.Create(CultureInfo.InvariantCulture, $"gtfs {System.IO.Path.GetFileName(path)}{routes} from {GtfsTime.Format(start)}, {gtfs.Trips.Count} trips x {m.DevicesPerVehicle} devices");
                return gtfs;
            }

            case "trace":
            {
                var path = RequiredPath(m.Path, baseDirectory, "mobility.path (--trace)");
                var trace = CsvTraceMobility.Load(path);
                description = $"trace {System.IO.Path.GetFileName(path)}, {trace.DeviceCount} devices";
                return trace;
            }

            case "random-waypoint" or "gauss-markov" or "manhattan":
            {
                var synthetic = new SyntheticMobilitySettings
                {
                    Devices = m.Devices,
                    Seed = spec.Seed,
                    Origin = m.Origin is null ? new SyntheticMobilitySettings().Origin : ParseOrigin(m.Origin),
                    AreaWidthMetres = m.AreaWidthMetres,
                    AreaHeightMetres = m.AreaHeightMetres,
                    MinSpeedMps = m.MinSpeedMps,
                    MaxSpeedMps = m.MaxSpeedMps,
                    MaxPauseSeconds = m.MaxPauseSeconds,
                    GaussMarkovAlpha = m.GaussMarkovAlpha,
                    BlockMetres = m.BlockMetres,
                };
                var problems = synthetic.Validate();
                if (problems.Count > 0)
                {
                    throw new ScenarioException("mobility: " + string.Join("; ", problems));
                }

                description = string.Create(CultureInfo.InvariantCulture, $"{m.Kind}, {m.Devices} devices, {m.AreaWidthMetres:0}x{m.AreaHeightMetres:0} m");
                return m.Kind switch
                {
                    "random-waypoint" => new RandomWaypointMobility(synthetic),
                    "gauss-markov" => new GaussMarkovMobility(synthetic),
                    _ => new ManhattanGridMobility(synthetic),
                };
            }

            default:
                throw new ScenarioException($"mobility.kind '{m.Kind}' is unknown; use gtfs, trace, random-waypoint, gauss-markov or manhattan");
        }
    }

    private static IReadOnlyList<EdgeSite> Sites(ScenarioSpec spec, IMobilityModel mobility, string baseDirectory)
    {
        var capacity = spec.SiteCapacity > 0 ? spec.SiteCapacity : int.MaxValue;
        if (spec.Sites.StartsWith("hex:", StringComparison.Ordinal))
        {
            if (!double.TryParse(spec.Sites.AsSpan(4), NumberStyles.Float, CultureInfo.InvariantCulture, out var spacing) || !(spacing > 0))
            {
                throw new ScenarioException($"sites '{spec.Sites}': expected hex:METRES with METRES > 0, e.g. hex:500");
            }

            try
            {
                return HexGridSites.Create(mobility.Bounds, spacing, mobility.Projection, capacity);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new ScenarioException($"sites '{spec.Sites}': {e.Message}", e);
            }
        }

        return SiteCsvLoader.Load(Resolve(spec.Sites, baseDirectory), mobility.Projection);
    }

    private static Func<string, bool>? Routes(string? text)
    {
        try
        {
            return RouteSelection.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ScenarioException($"mobility.routes (--routes): {e.Message}", e);
        }
    }

    private static double Seconds(string text, string field)
    {
        try
        {
            return DurationText.ParseSeconds(text);
        }
        catch (FormatException e)
        {
            throw new ScenarioException($"{field}: {e.Message}", e);
        }
    }

    private static GeoPoint ParseOrigin(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && new GeoPoint(lat, lon).IsValid)
        {
            return new GeoPoint(lat, lon);
        }

        throw new ScenarioException($"mobility.origin '{text}' is not 'lat,lon'");
    }

    private static string RequiredPath(string? path, string baseDirectory, string field) =>
        string.IsNullOrWhiteSpace(path) ? throw new ScenarioException($"{field} is required for this mobility kind") : Resolve(path, baseDirectory);

    private static string Resolve(string path, string baseDirectory) => System.IO.Path.GetFullPath(path, baseDirectory);
}
