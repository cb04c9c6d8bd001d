using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Tests;

[Trait("Category", "Unit")]
public sealed class PredictivePolicyTests
{
    private const double MigrationSeconds = 30;

    private static readonly PolicySettings Settings = new()
    {
        Policy = "predictive",
        HysteresisMs = 5,
        TimeToTriggerSeconds = 3,
        SafetyMarginSeconds = 2,
        SlaLatencyMs = 30,
        MinConfidence = 0.6,
    };

    /// <summary>Host 0 is best (10 ms); site 1 is 20 ms and approaching, site 2 is 22 ms and 900 m away.</summary>
    private static DeviceObservation Observe(double t, int host = 0, double hostMs = 10, double otherMs = 20, int best = 0) =>
        new(0, t, new GeoPoint(40.6, -74.1 + t * 1e-5), best, host, false, new SiteMeasurement[]
        {
            new(0, host == 0 ? hostMs : best == 0 ? 10 : otherMs, 100 + t),
            new(1, host == 1 ? hostMs : best == 1 ? 10 : otherMs, 400 - t),
            new(2, 22, 900),
        });

    /// <summary>Which of <see cref="Observe"/>'s sites a reach feature row describes.</summary>
    private static int SiteOf(ReadOnlySpan<float> row) =>
        row[SiteReachFeatures.IsHost] == 1 ? 0 : row[SiteReachFeatures.DistanceM] >= 800 ? 2 : 1;

    /// <summary>Sites that break the SLA exactly at the given times (null: never), for a device observed at <paramref name="now"/>.</summary>
    private static StubPredictor BreachingAt(Func<double> now, double? host, double? site1, double? site2)
    {
        double? At(int site) => site switch { 0 => host, 1 => site1, _ => site2 };
        return new StubPredictor(
            _ => new HandoverPrediction(120, 1, 1f),
            row => At(SiteOf(row)) is { } t ? Math.Clamp(t - now(), 0, 300) : 300,
            (row, within) => At(SiteOf(row)) is { } t && now() + within >= t ? 1 : 0);
    }

    [Fact]
    public void Starts_early_enough_that_the_migration_completes_before_the_host_breaks_the_sla()
    {
        const double breachAt = 100;
        var now = 0.0;
        var policy = new PredictivePolicy(Settings, BreachingAt(() => now, breachAt, 200, null), (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        double? startedAt = null;
        for (; now < breachAt && startedAt is null; now++)
        {
            var decision = policy.Decide(Observe(now), ref state, window);
            if (decision.Migrate)
            {
                Assert.Equal(2, decision.TargetSite); // never breaks: longer reach than site 1
                startedAt = now;
            }
        }

        Assert.NotNull(startedAt);
        // Completes before the breach, with the safety margin, and not absurdly early (confirmation takes 2 more observations).
        Assert.InRange(startedAt.Value + MigrationSeconds, breachAt - Settings.SafetyMarginSeconds - 3, breachAt - Settings.SafetyMarginSeconds);
    }

    [Fact]
    public void Does_not_move_while_the_host_keeps_the_sla()
    {
        var now = 0.0;
        var policy = new PredictivePolicy(Settings, BreachingAt(() => now, null, null, null), (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        // Site 1 becomes the best site half-way: a reactive policy would follow it, this one has no reason to.
        for (; now < 200; now++)
        {
            Assert.False(policy.Decide(Observe(now, best: now < 100 ? 0 : 1, hostMs: now < 100 ? 10 : 24), ref state, window).Migrate);
        }
    }

    [Fact]
    public void Does_not_move_for_less_reach_than_the_migration_takes()
    {
        var now = 0.0;
        // The host breaks at 100, but both other sites only last until 128: moving buys 28 s for a 30 s migration.
        var policy = new PredictivePolicy(Settings, BreachingAt(() => now, 100, 128, 128), (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        for (; now < 100; now++)
        {
            Assert.False(policy.Decide(Observe(now), ref state, window).Migrate);
        }
    }

    [Fact]
    public void Falls_back_to_reactive_when_unsure_of_every_target()
    {
        // The host already breaks the SLA and the model gives every other site a 50 % chance of breaking it too.
        var unsure = new StubPredictor(_ => new HandoverPrediction(5, 1, 1f), _ => 10, (_, _) => 0.5);
        var policy = new PredictivePolicy(Settings, unsure, (_, _) => MigrationSeconds);
        var reactive = new ReactivePolicy(Settings);
        var predictiveState = DevicePolicyState.Initial;
        var reactiveState = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        // The device has moved on: site 1 is best (10 ms), the host 0 measures 40 ms.
        var decisions = new List<(HandoverDecision Predictive, HandoverDecision Reactive)>();
        for (var t = 0; t < 20; t++)
        {
            var observation = Observe(t, host: 0, hostMs: 40, best: 1);
            decisions.Add((policy.Decide(observation, ref predictiveState, window), reactive.Decide(observation, ref reactiveState)));
        }

        Assert.All(decisions, d => Assert.Equal(d.Reactive, d.Predictive));
        Assert.Contains(decisions, d => d.Predictive.Migrate); // reactive did migrate, and so did the fallback
    }

    [Fact]
    public void A_host_that_already_breaks_the_sla_moves_at_once_to_the_longest_reach()
    {
        var now = 0.0;
        // A long time-to-trigger keeps the reactive rule (used before the window has enough history) out of the way.
        var policy = new PredictivePolicy(Settings with { TimeToTriggerSeconds = 100 }, BreachingAt(() => now, 0, 150, 100), (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();
        HandoverDecision decision = default;
        for (; now < DeviceFeatureWindow.MinimumHistory && !decision.Migrate; now++)
        {
            decision = policy.Decide(Observe(now, host: 0, hostMs: 40, best: 1), ref state, window);
        }

        Assert.True(decision.Migrate);
        Assert.Equal(1, decision.TargetSite);
        Assert.Equal(DeviceFeatureWindow.MinimumHistory, now); // on the first observation with features, no confirmation wait
    }

    [Fact]
    public void Stays_while_a_migration_is_in_flight()
    {
        var predictor = new StubPredictor(_ => new HandoverPrediction(0, 1, 1f), _ => 0, (_, _) => 1);
        var policy = new PredictivePolicy(Settings, predictor, (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        for (var t = 0; t < 20; t++)
        {
            Assert.False(policy.Decide(Observe(t, hostMs: 40, best: 1) with { MigrationInFlight = true }, ref state, window).Migrate);
        }
    }

    [Fact]
    public void The_interface_path_keeps_a_window_per_device()
    {
        var seen = new List<double>();
        var predictor = new StubPredictor(_ => default, _ => 300, (row, _) =>
        {
            if (row[SiteReachFeatures.IsHost] == 1)
            {
                seen.Add(row[SiteReachFeatures.WindowSeconds]);
            }

            return 0;
        });
        IHandoverPolicy policy = new PredictivePolicy(Settings, predictor, (_, _) => MigrationSeconds);
        var states = new[] { DevicePolicyState.Initial, DevicePolicyState.Initial };

        for (var t = 0; t < DeviceFeatureWindow.MinimumHistory; t++)
        {
            for (var device = 0; device < 2; device++)
            {
                policy.Decide(Observe(t) with { Device = device }, ref states[device]);
            }
        }

        // Each device reached the minimum history at the same time: one prediction each (over the same window span), not
        // one after half the observations.
        Assert.Equal([DeviceFeatureWindow.MinimumHistory - 1.0, DeviceFeatureWindow.MinimumHistory - 1.0], seen);
    }

    [Fact]
    public void Factory_builds_predictive_only_with_a_predictor()
    {
        var predictor = new StubPredictor(_ => default, _ => 0, (_, _) => 0);

        Assert.Equal("predictive", PolicyCatalog.Create(Settings, new PolicyInputs { Model = predictor, MigrationSeconds = (_, _) => 1 }).Name);
        Assert.Equal("reactive", PolicyCatalog.Create(Settings with { Policy = "reactive" }, new PolicyInputs { Model = predictor }).Name);
        Assert.Throws<ArgumentException>(() => PolicyCatalog.Create(Settings));
        Assert.Throws<ArgumentException>(() => PolicyCatalog.Create(Settings, new PolicyInputs { MigrationSeconds = (_, _) => 1 }));
    }

    private delegate double ReachFunction(ReadOnlySpan<float> row);

    private delegate double BreachFunction(ReadOnlySpan<float> row, double withinSeconds);

    private sealed class StubPredictor(Func<HandoverFeatures, HandoverPrediction> predict, ReachFunction reach, BreachFunction breach) : IHandoverPredictor
    {
        public HandoverPrediction Predict(HandoverFeatures features) => predict(features);

        public double PredictReachSeconds(ReadOnlySpan<float> siteFeatures) => reach(siteFeatures);

        public double PredictBreachProbability(ReadOnlySpan<float> siteFeatures, double withinSeconds) => breach(siteFeatures, withinSeconds);
    }
}
