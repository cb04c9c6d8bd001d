using System.Text.Json;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Mobility.Gtfs;
using EdgeMigrate.Simulation.Network;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulation.Training;

namespace EdgeMigrate.Simulator.Tests;

[Trait("Category", "Unit")]
public sealed class PredictionPipelineTests
{
    private static ScenarioSpec Synthetic(int devices = 30, string duration = "5m") => new()
    {
        Seed = 5,
        Duration = duration,
        Mobility = new MobilitySpec { Kind = "gauss-markov", Devices = devices, AreaWidthMetres = 4000, AreaHeightMetres = 4000, MinSpeedMps = 4, MaxSpeedMps = 14, GaussMarkovAlpha = 0.95 },
        Sites = "hex:500",
        Policies = ["reactive"],
    };

    [Fact]
    public void Features_from_the_engine_equal_features_from_the_same_telemetry_sent_over_the_wire()
    {
        var prepared = ScenarioBuilder.Prepare(Synthetic(devices: 5), Environment.CurrentDirectory);
        var recorder = new Recorder(new ReactivePolicy(prepared.Settings.Policies[0]), prepared.Mobility.DeviceCount);
        var engine = new SimulationEngine(prepared.Settings, prepared.Mobility, prepared.Sites) { PolicyOverride = _ => recorder };
        engine.Run(null, TestContext.Current.CancellationToken);

        // The silo's path: a JSON telemetry message per observation (site ids, not indexes), mapped back with its site table.
        var siteIndex = prepared.Sites.Sites.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var windows = new Dictionary<int, DeviceFeatureWindow>();
        var compared = 0;
        foreach (var (observation, engineFeatures) in recorder.Seen)
        {
            var wire = JsonSerializer.Serialize(new Telemetry(
                observation.TimeSeconds,
                observation.Position.Lat,
                observation.Position.Lon,
                prepared.Sites.Sites[observation.ServingSite].Id,
                prepared.Sites.Sites[observation.HostingSite].Id,
                observation.Sites.ToArray().ToDictionary(s => prepared.Sites.Sites[s.Site].Id, s => s.LatencyMs, StringComparer.Ordinal),
                observation.Sites.ToArray().ToDictionary(s => prepared.Sites.Sites[s.Site].Id, s => s.DistanceMetres, StringComparer.Ordinal)));
            var message = JsonSerializer.Deserialize<Telemetry>(wire)!;
            var live = new DeviceObservation(
                observation.Device,
                message.Time,
                new GeoPoint(message.Lat, message.Lon),
                siteIndex[message.Serving],
                siteIndex[message.Hosting],
                observation.MigrationInFlight,
                message.RttMs.Select(kv => new SiteMeasurement(siteIndex[kv.Key], kv.Value, message.DistanceMetres[kv.Key])).ToArray());

            if (!windows.TryGetValue(observation.Device, out var window))
            {
                windows[observation.Device] = window = new DeviceFeatureWindow();
            }

            var liveFeatures = window.Observe(live);
            Assert.Equal(engineFeatures?.Vector, liveFeatures?.ToArray());
            Assert.Equal(engineFeatures?.Sites, liveFeatures?.CandidateSites);
            if (liveFeatures is not null)
            {
                // The reach model's rows too, per measured site.
                Assert.Equal(engineFeatures!.SiteRows.Keys.Order(), live.Sites.ToArray().Select(m => m.Site).Order());
                foreach (var (site, engineRow) in engineFeatures.SiteRows)
                {
                    var liveRow = new float[SiteReachFeatures.Count];
                    Assert.True(window.DescribeSite(liveFeatures, site, 30, liveRow));
                    Assert.Equal(engineRow, liveRow);
                }
            }

            compared += liveFeatures is null ? 0 : 1;
        }

        Assert.True(compared > 1000, $"only {compared} feature vectors compared");
    }

    [Fact]
    public void Labels_count_seconds_to_the_next_serving_site_and_drop_censored_examples()
    {
        var future = new ScriptedFuture(t => t < 30 ? 4 : t < 200 ? 7 : 9, endSeconds: 300);

        Assert.Equal((30.0, 7), HandoverDatasetBuilder.Label(future, 0, 0, 1, 120));
        Assert.Equal((120.0, -1), HandoverDatasetBuilder.Label(future, 0, 40, 1, 120)); // no change within the horizon
        Assert.Equal((20.0, 9), HandoverDatasetBuilder.Label(future, 0, 180, 1, 120));
        Assert.Null(HandoverDatasetBuilder.Label(future, 0, 250, 1, 120)); // the run ends before the horizon
    }

    [Fact]
    public void Reach_labels_count_seconds_until_the_site_breaks_the_sla()
    {
        // Site 3 meets a 30 ms SLA until t = 50, site 5 never; the device disappears (trip over) at t = 260.
        var future = new ScriptedFuture(t => t < 260 ? 4 : -1, endSeconds: 300, latency: (t, site) => t >= 260 ? double.NaN : site == 3 && t >= 50 ? 35 : 20);

        Assert.Equal(50.0, HandoverDatasetBuilder.ReachLabel(future, 0, 0, 3, 30, 1, 300));
        Assert.Equal(0.0, HandoverDatasetBuilder.ReachLabel(future, 0, 60, 3, 30, 1, 300)); // already breaks it
        Assert.Equal(40.0, HandoverDatasetBuilder.ReachLabel(future, 0, 10, 3, 30, 1, 300));
        Assert.Equal(0.0, HandoverDatasetBuilder.ReachLabel(future, 0, 10, 5, 18, 1, 300)); // a tighter SLA: broken now
        Assert.Equal(300.0, HandoverDatasetBuilder.ReachLabel(future, 0, 100, 5, 30, 1, 300)); // the trip ends first: no move needed
        Assert.Equal(250.0, HandoverDatasetBuilder.ReachLabel(future, 0, 0, 5, 30, 1, 250)); // capped at the horizon

        var running = new ScriptedFuture(_ => 4, endSeconds: 300, latency: (_, _) => 20);
        Assert.Null(HandoverDatasetBuilder.ReachLabel(running, 0, 100, 5, 30, 1, 300)); // the run ends before we know
    }

    [Fact]
    public void Dataset_is_deterministic_and_labels_are_in_range()
    {
        var firstSet = Build();
        var secondSet = Build();
        var first = firstSet.Handovers;
        var second = secondSet.Handovers;

        Assert.Equal(first.Count, second.Count);
        Assert.True(first.Count > 500, $"{first.Count} examples");
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Features, second[i].Features);
            Assert.Equal(first[i].SecondsToHandover, second[i].SecondsToHandover);
            Assert.Equal(first[i].NextRank, second[i].NextRank);
        }

        Assert.All(first, e => Assert.InRange(e.SecondsToHandover, 1f, 120f));
        Assert.All(first, e => Assert.InRange(e.NextRank, -1, HandoverFeatures.CandidateRanks - 1));
        Assert.Contains(first, e => e.NextRank == 0);
        Assert.Contains(first, e => e.NextRank == -1);

        var firstReach = firstSet.Reach;
        var secondReach = secondSet.Reach;
        Assert.Equal(firstReach.Count, secondReach.Count);
        Assert.True(firstReach.Count > first.Count, $"{firstReach.Count} reach examples for {first.Count} samples");
        for (var i = 0; i < firstReach.Count; i++)
        {
            Assert.Equal(firstReach[i].Features, secondReach[i].Features);
            Assert.Equal(firstReach[i].SecondsToBreach, secondReach[i].SecondsToBreach);
        }

        Assert.All(firstReach, e => Assert.InRange(e.SecondsToBreach, 0f, 300f));
        Assert.Contains(firstReach, e => e.SecondsToBreach < 60);
        Assert.Contains(firstReach, e => e.SecondsToBreach > 120);
        Assert.Equal([25f, 30f, 35f], firstReach.Select(e => e.Features[SiteReachFeatures.SlaMs]).Distinct().Order());

        static HandoverDataset Build() =>
            HandoverDatasetBuilder.Build(ScenarioBuilder.Prepare(Synthetic(), Environment.CurrentDirectory), new HandoverDatasetOptions(), null, TestContext.Current.CancellationToken);
    }

    [Fact]
    [Trait("Category", "Ml")]
    public void Training_on_simulated_runs_is_deterministic_per_seed_and_the_model_runs_in_the_engine()
    {
        var examples = HandoverDatasetBuilder.Build(ScenarioBuilder.Prepare(Synthetic(), Environment.CurrentDirectory), new HandoverDatasetOptions(), null, TestContext.Current.CancellationToken);
        Assert.True(examples.Reach.Count > 1000, $"{examples.Reach.Count} reach examples");
        var options = new HandoverTrainingOptions { Seed = 11, Trees = 20, Leaves = 8 };

        using var first = HandoverTrainer.Train(examples, options);
        using var second = HandoverTrainer.Train(examples, options);
        using var otherSeed = HandoverTrainer.Train(examples, options with { Seed = 12 });

        Assert.Equal(first.Version, second.Version);
        Assert.Equal(first.Metadata.Training, second.Metadata.Training);
        Assert.NotEqual(first.Version, otherSeed.Version);
        Assert.InRange(first.Metadata.Training.NextSiteAccuracy, 0.5, 1.0);

        var spec = Synthetic(devices: 20, duration: "3m");
        spec.Policies = ["reactive", "predictive"];
        var prepared = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory);
        var a = prepared.CreateEngine(first).Run(null, TestContext.Current.CancellationToken).Summary.Policies["predictive"];
        var b = prepared.CreateEngine(second).Run(null, TestContext.Current.CancellationToken).Summary.Policies["predictive"];
        Assert.Equal(a, b);
    }

    [Fact]
    public void Predictive_without_a_model_is_refused_with_a_hint()
    {
        var spec = Synthetic(devices: 2, duration: "10s");
        spec.Policies = ["predictive"];
        var prepared = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory);

        var error = Assert.Throws<InvalidOperationException>(() => prepared.CreateEngine().Run(null, TestContext.Current.CancellationToken));

        Assert.Contains("--model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measurement_jitter_is_seeded_zero_by_default_and_only_touches_what_policies_measure()
    {
        var exact = new LatencyModel();
        var noisy = new LatencyModel { MeasurementJitterMs = 3, JitterSeed = 1 };

        Assert.Equal(0, exact.MeasurementNoiseMs(1, 2, 3));
        Assert.Equal(noisy.MeasurementNoiseMs(1, 2, 3), noisy.MeasurementNoiseMs(1, 2, 3));
        Assert.NotEqual(noisy.MeasurementNoiseMs(1, 2, 3), noisy.MeasurementNoiseMs(1, 2, 4));
        var samples = Enumerable.Range(0, 20_000).Select(i => noisy.MeasurementNoiseMs(i % 97, i / 97, 5)).ToArray();
        var mean = samples.Average();
        var sd = Math.Sqrt(samples.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(sd, 2.9, 3.1);

        var spec = Synthetic(devices: 50, duration: "3m");
        spec.Policies = ["never"];
        var quiet = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory).CreateEngine().Run(null, TestContext.Current.CancellationToken).Summary.Policies["never"];
        spec.Latency.MeasurementJitterMs = 5;
        var jittery = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory).CreateEngine().Run(null, TestContext.Current.CancellationToken).Summary.Policies["never"];
        Assert.Equal(quiet, jittery); // the service's real latency (and so the SLA accounting) is unchanged
    }

    [Fact]
    public void Route_halves_split_the_feed_in_two()
    {
        var feed = RepositoryPaths.StatenIslandFeed;
        var options = new GtfsLoadOptions { StartServiceSeconds = 7.5 * 3600, DurationSeconds = 600 };
        var all = GtfsFeedLoader.Load(feed, options).Trips.Select(t => t.RouteId).ToHashSet(StringComparer.Ordinal);
        var half0 = GtfsFeedLoader.Load(feed, options with { RouteFilter = RouteSelection.Parse("half:0") }).Trips.Select(t => t.RouteId).ToHashSet(StringComparer.Ordinal);
        var half1 = GtfsFeedLoader.Load(feed, options with { RouteFilter = RouteSelection.Parse("half:1") }).Trips.Select(t => t.RouteId).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(half0);
        Assert.NotEmpty(half1);
        Assert.Empty(half0.Intersect(half1));
        Assert.True(all.SetEquals(half0.Union(half1)));
        Assert.Throws<FormatException>(() => RouteSelection.Parse("half:2"));
    }

    private sealed record Telemetry(double Time, double Lat, double Lon, string Serving, string Hosting, Dictionary<string, double> RttMs, Dictionary<string, double> DistanceMetres);

    private sealed record EngineFeatures(float[] Vector, int[] Sites, Dictionary<int, float[]> SiteRows);

    /// <summary>Feeds the engine's observations to per-device windows, keeps copies of both, and lets reactive decide.</summary>
    private sealed class Recorder(IHandoverPolicy inner, int devices) : IHandoverPolicy
    {
        private readonly DeviceFeatureWindow[] _windows = [.. Enumerable.Range(0, devices).Select(_ => new DeviceFeatureWindow())];

        public List<(DeviceObservation Observation, EngineFeatures? Features)> Seen { get; } = [];

        public string Name => inner.Name;

        public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
        {
            var features = _windows[observation.Device].Observe(in observation);
            // The engine reuses its measurement buffer: keep a copy.
            Dictionary<int, float[]> rows = [];
            if (features is not null)
            {
                foreach (var site in observation.Sites.Span)
                {
                    var row = new float[SiteReachFeatures.Count];
                    Assert.True(_windows[observation.Device].DescribeSite(features, site.Site, 30, row));
                    rows[site.Site] = row;
                }
            }

            Seen.Add((observation with { Sites = observation.Sites.ToArray() }, features is null ? null : new EngineFeatures(features.ToArray(), [.. features.CandidateSites], rows)));
            return inner.Decide(in observation, ref state);
        }
    }

    private sealed class ScriptedFuture(Func<double, int> serving, double endSeconds, Func<double, int, double>? latency = null) : IFutureLookup
    {
        public double StepSeconds => 1;

        public double EndSeconds => endSeconds;

        public int ServingSiteAt(int device, double timeSeconds) => serving(timeSeconds);

        public double LatencyMsAt(int device, double timeSeconds, int hostingSite) => latency?.Invoke(timeSeconds, hostingSite) ?? 10;
    }
}
