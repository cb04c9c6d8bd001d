using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Tests;

[Trait("Category", "Unit")]
public sealed class PolicyTests
{
    private static DeviceObservation Observe(double t, int host, bool inFlight, params SiteMeasurement[] sites) =>
        new(0, t, new GeoPoint(40.6, -74.1), sites.MinBy(s => s.DistanceMetres).Site, host, inFlight, sites);

    [Fact]
    public void Never_stays_whatever_it_sees()
    {
        var state = DevicePolicyState.Initial;
        var decision = new NeverPolicy().Decide(Observe(0, 0, false, new(0, 90, 5000), new(1, 5, 10)), ref state);

        Assert.False(decision.Migrate);
    }

    [Fact]
    public void Reactive_waits_for_time_to_trigger_then_migrates_to_the_better_neighbour()
    {
        var policy = new ReactivePolicy(new PolicySettings { HysteresisMs = 5, TimeToTriggerSeconds = 3 });
        var state = DevicePolicyState.Initial;

        // Neighbour 1 is 10 ms better: condition holds from t=10.
        for (var t = 10; t < 13; t++)
        {
            Assert.False(policy.Decide(Observe(t, 0, false, new(0, 30, 600), new(1, 20, 100)), ref state).Migrate);
        }

        var decision = policy.Decide(Observe(13, 0, false, new(0, 30, 600), new(1, 20, 100)), ref state);
        Assert.Equal(HandoverDecision.MigrateTo(1), decision);
    }

    [Fact]
    public void Reactive_ignores_a_neighbour_within_the_hysteresis_margin()
    {
        var policy = new ReactivePolicy(new PolicySettings { HysteresisMs = 5, TimeToTriggerSeconds = 0 });
        var state = DevicePolicyState.Initial;

        Assert.False(policy.Decide(Observe(0, 0, false, new(0, 24, 600), new(1, 20, 100)), ref state).Migrate);
        Assert.True(policy.Decide(Observe(1, 0, false, new(0, 25.5, 600), new(1, 20, 100)), ref state).Migrate);
    }

    [Fact]
    public void Reactive_restarts_the_timer_when_the_margin_is_lost()
    {
        var policy = new ReactivePolicy(new PolicySettings { HysteresisMs = 5, TimeToTriggerSeconds = 3 });
        var state = DevicePolicyState.Initial;

        policy.Decide(Observe(0, 0, false, new(0, 30, 600), new(1, 20, 100)), ref state);
        policy.Decide(Observe(2, 0, false, new(0, 22, 600), new(1, 20, 100)), ref state); // margin lost
        Assert.False(policy.Decide(Observe(3, 0, false, new(0, 30, 600), new(1, 20, 100)), ref state).Migrate);
        Assert.False(policy.Decide(Observe(5, 0, false, new(0, 30, 600), new(1, 20, 100)), ref state).Migrate);
        Assert.True(policy.Decide(Observe(6, 0, false, new(0, 30, 600), new(1, 20, 100)), ref state).Migrate);
    }

    [Fact]
    public void Reactive_does_not_start_a_second_migration_while_one_is_in_flight()
    {
        var policy = new ReactivePolicy(new PolicySettings { HysteresisMs = 0, TimeToTriggerSeconds = 0 });
        var state = DevicePolicyState.Initial;

        Assert.False(policy.Decide(Observe(0, 0, true, new(0, 90, 600), new(1, 20, 100)), ref state).Migrate);
    }

    [Fact]
    public void Distance_migrates_only_beyond_the_threshold()
    {
        var policy = new DistancePolicy(new PolicySettings { DistanceThresholdMetres = 200 });
        var state = DevicePolicyState.Initial;

        Assert.False(policy.Decide(Observe(0, 0, false, new(0, 20, 350), new(1, 20, 150)), ref state).Migrate);   // 200 closer: not more than
        Assert.Equal(HandoverDecision.MigrateTo(1), policy.Decide(Observe(1, 0, false, new(0, 20, 351), new(1, 20, 150)), ref state));
    }

    [Fact]
    public void Greedy_oracle_starts_so_the_migration_completes_when_the_host_stops_meeting_the_sla()
    {
        // Host 0 is fine until t=100, then violates; site 1 is fine from 100 to 150, site 2 from 100 to the end.
        var future = new ScriptedFuture(t => t < 100 ? 1 : 2, (t, host) => host switch
        {
            0 => t < 100 ? 10 : 50,
            1 => t < 150 ? 20 : 40,
            _ => 20,
        });
        var policy = new GreedyOraclePolicy(new PolicySettings { SlaLatencyMs = 30 }, future, (_, _) => 30);
        var state = DevicePolicyState.Initial;

        for (var t = 0; t < 70; t++)
        {
            Assert.False(policy.Decide(Observe(t, 0, false, new SiteMeasurement(0, 10, 100)), ref state).Migrate, $"too early at {t}");
        }

        // 100 - 30 s migration = start at 70, to site 2 which stays within the SLA longest.
        Assert.Equal(HandoverDecision.MigrateTo(2), policy.Decide(Observe(70, 0, false, new SiteMeasurement(0, 10, 100)), ref state));
    }

    [Fact]
    public void Greedy_oracle_stays_when_the_host_meets_the_sla_for_the_whole_future()
    {
        var future = new ScriptedFuture(_ => 1, (_, host) => host == 0 ? 25 : 10);
        var policy = new GreedyOraclePolicy(new PolicySettings { SlaLatencyMs = 30 }, future, (_, _) => 30);
        var state = DevicePolicyState.Initial;

        for (var t = 0; t < 300; t++)
        {
            Assert.False(policy.Decide(Observe(t, 0, false, new(0, 25, 100), new(1, 10, 10)), ref state).Migrate);
        }
    }

    [Fact]
    public void Catalog_builds_each_policy_by_name_and_refuses_the_future_knowing_ones_without_their_inputs()
    {
        foreach (var name in new[] { "never", "reactive", "distance" })
        {
            Assert.Equal(name, PolicyCatalog.Create(new PolicySettings { Policy = name }).Name);
        }

        foreach (var name in new[] { "greedy-oracle", "optimum" })
        {
            var error = Assert.Throws<ArgumentException>(() => PolicyCatalog.Create(new PolicySettings { Policy = name }));
            Assert.Contains("simulation only", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("unknown", Assert.Throws<ArgumentException>(() => PolicyCatalog.Create(new PolicySettings { Policy = "teleport" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_lists_every_policy_once_with_where_it_runs_and_parameters_that_exist()
    {
        Assert.Equal(PolicyCatalog.All.Count, PolicyCatalog.All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(["never", "reactive", "distance", "predictive"], PolicyCatalog.Names(PolicyPlaces.Live));
        Assert.Equal(["never", "reactive", "distance", "predictive", "greedy-oracle", "optimum"], PolicyCatalog.Names(PolicyPlaces.Simulation));
        Assert.All(PolicyCatalog.All.SelectMany(p => p.Parameters), p => Assert.Contains(p, PolicyParameters.All));
        Assert.Equal(PolicyParameters.All.Count, PolicyParameters.All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Catalog_validation_names_the_problem_for_the_place_it_runs_in()
    {
        Assert.Empty(PolicyCatalog.Validate(new PolicySettings { Policy = "optimum" }, PolicyPlaces.Simulation));
        Assert.Contains("simulation only", Assert.Single(PolicyCatalog.Validate(new PolicySettings { Policy = "optimum" }, PolicyPlaces.Live)), StringComparison.Ordinal);
        Assert.Equal(
            "policy 'oracle' is unknown; use one of never, reactive, distance, predictive",
            Assert.Single(PolicyCatalog.Validate(new PolicySettings { Policy = "oracle" }, PolicyPlaces.Live)));
        var problems = PolicyCatalog.Validate(new PolicySettings { Policy = "reactive", HysteresisMs = -1, SlaLatencyMs = 0, BreachProbability = double.NaN }, PolicyPlaces.Live);
        Assert.Equal(["hysteresisMs must be within [0, 1000]", "slaLatencyMs must be within (0, 60000]", "breachProbability must be within (0, 1]"], problems);
    }

    [Fact]
    public void Policy_parameters_read_and_set_the_settings_they_name()
    {
        foreach (var parameter in PolicyParameters.All)
        {
            var changed = parameter.With(new PolicySettings(), parameter.Default + 0.5);
            Assert.Equal(parameter.Default + 0.5, parameter.Get(changed));
            Assert.Equal(PolicyParameters.All.Count - 1, PolicyParameters.All.Count(p => p.Get(changed) == p.Default));
        }
    }

    private sealed class ScriptedFuture(Func<double, int> serving, Func<double, int, double> latency) : IFutureLookup
    {
        public double StepSeconds => 1;

        public double EndSeconds => 300;

        public int ServingSiteAt(int device, double timeSeconds) => serving(timeSeconds);

        public double LatencyMsAt(int device, double timeSeconds, int hostingSite) => latency(timeSeconds, hostingSite);
    }
}
