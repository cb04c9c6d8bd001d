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

    /// <summary>Host 0 is best (10 ms); site 1 is 40 ms now, so staying on 0 after the handover would break the 30 ms SLA.</summary>
    private static DeviceObservation Observe(double t, int host = 0, double hostMs = 10, double otherMs = 40, int best = 0) =>
        new(0, t, new GeoPoint(40.6, -74.1 + t * 1e-5), best, host, false, new SiteMeasurement[]
        {
            new(0, host == 0 ? hostMs : best == 0 ? 10 : otherMs, 100 + t),
            new(1, host == 1 ? hostMs : best == 1 ? 10 : otherMs, 400 - t),
            new(2, 60, 900),
        });

    [Fact]
    public void Starts_early_enough_that_the_migration_completes_before_the_predicted_handover()
    {
        const double handoverAt = 100;
        var predictor = new StubPredictor(f => new HandoverPrediction(handoverAt - f.TimeSeconds, 1, 0.95f));
        var policy = new PredictivePolicy(Settings, predictor, (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        double? startedAt = null;
        for (var t = 0; t < 100 && startedAt is null; t++)
        {
            var decision = policy.Decide(Observe(t), ref state, window);
            if (decision.Migrate)
            {
                Assert.Equal(1, decision.TargetSite);
                startedAt = t;
            }
        }

        Assert.NotNull(startedAt);
        // Completes before the handover, with the safety margin, and not absurdly early.
        Assert.InRange(startedAt.Value + MigrationSeconds, handoverAt - Settings.SafetyMarginSeconds - 3, handoverAt - Settings.SafetyMarginSeconds);
    }

    [Fact]
    public void Falls_back_to_reactive_when_unsure()
    {
        var unsure = new StubPredictor(_ => new HandoverPrediction(5, 1, 0.3f));
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
    public void Does_not_move_early_when_the_host_stays_within_the_sla_after_the_handover()
    {
        var predictor = new StubPredictor(f => new HandoverPrediction(Math.Max(0, 50 - f.TimeSeconds), 1, 0.95f));
        var policy = new PredictivePolicy(Settings, predictor, (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        // Site 1 is only 18 ms: after the handover the host would still be well within 30 ms.
        for (var t = 0; t < 50; t++)
        {
            Assert.False(policy.Decide(Observe(t, otherMs: 18), ref state, window).Migrate);
        }
    }

    [Fact]
    public void Stays_while_a_migration_is_in_flight()
    {
        var predictor = new StubPredictor(_ => new HandoverPrediction(0, 1, 1f));
        var policy = new PredictivePolicy(Settings, predictor, (_, _) => MigrationSeconds);
        var state = DevicePolicyState.Initial;
        var window = new DeviceFeatureWindow();

        for (var t = 0; t < 20; t++)
        {
            Assert.False(policy.Decide(Observe(t) with { MigrationInFlight = true }, ref state, window).Migrate);
        }
    }

    [Fact]
    public void The_interface_path_keeps_a_window_per_device()
    {
        var seen = new List<double>();
        var predictor = new StubPredictor(f =>
        {
            seen.Add(f.TimeSeconds);
            return new HandoverPrediction(120, 1, 0.9f);
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

        // Each device reached the minimum history at the same time: one prediction each, not one after half the observations.
        Assert.Equal([DeviceFeatureWindow.MinimumHistory - 1.0, DeviceFeatureWindow.MinimumHistory - 1.0], seen);
    }

    [Fact]
    public void Factory_builds_predictive_only_with_a_predictor()
    {
        var predictor = new StubPredictor(_ => default);

        Assert.Equal("predictive", HandoverPolicyFactory.Create(Settings, predictor, null, (_, _) => 1).Name);
        Assert.Equal("reactive", HandoverPolicyFactory.Create(Settings with { Policy = "reactive" }, predictor).Name);
        Assert.Throws<ArgumentException>(() => HandoverPolicyFactory.Create(Settings));
        Assert.Throws<ArgumentException>(() => HandoverPolicyFactory.Create(Settings, null, null, (_, _) => 1));
    }

    private sealed class StubPredictor(Func<HandoverFeatures, HandoverPrediction> predict) : IHandoverPredictor
    {
        public HandoverPrediction Predict(HandoverFeatures features) => predict(features);
    }
}
