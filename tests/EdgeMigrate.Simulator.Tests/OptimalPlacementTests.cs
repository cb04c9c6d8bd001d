using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Models;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Network;
using EdgeMigrate.Simulation.Optimum;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Tests;

/// <summary>
/// The offline optimum against an exhaustive search on small cases, and against every policy on many seeds. The
/// exhaustive search replays plans with its own accounting (written here from the definitions in docs/simulator.md, not
/// shared with the engine or the solver) over every site of the layout, so it also checks the solver's site restriction.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OptimalPlacementTests : IDisposable
{
    private const int Steps = 16;
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(1, "pre-copy", 14.0, false)]
    [InlineData(2, "pre-copy", 14.0, false)]
    [InlineData(3, "pre-copy", 20.0, false)]
    [InlineData(4, "stop-and-copy", 14.0, false)]
    [InlineData(5, "pre-copy", 11.0, false)]
    [InlineData(6, "pre-copy", 14.0, true)]
    [InlineData(7, "stop-and-copy", 11.0, true)]
    [InlineData(8, "pre-copy", 15.0, false)]
    [InlineData(9, "pre-copy", 15.5, true)]
    public void Optimum_equals_an_exhaustive_search_over_every_plan(int seed, string mode, double slaMs, bool trace)
    {
        var spec = SmallWorld(seed, mode, slaMs, trace);
        var prepared = ScenarioBuilder.Prepare(spec, _directory.Path);
        var network = new SiteNetwork(prepared.Sites, prepared.Settings.Latency, prepared.Settings.Migration);
        var future = new RecordedFuture(prepared.Mobility, network, prepared.Settings.StepSeconds, prepared.Settings.Steps);
        var estimate = network.DefaultMigration;
        Assert.InRange(estimate.TotalSeconds, 1.05, 6); // a move spans several steps, its downtime parts of some

        var plan = OptimalPlacement.Solve(future, slaMs, WorkloadEngine.Container, cancellationToken: TestContext.Current.CancellationToken);

        var total = 0L;
        var searched = 0L;
        for (var device = 0; device < prepared.Mobility.DeviceCount; device++)
        {
            var planned = Evaluate(future, device, slaMs, estimate, [.. plan.MovesOf(device)]);
            var best = (Ns: long.MaxValue, Moves: int.MaxValue);
            Search(future, device, slaMs, estimate, new SearchState(0, -1, -1, 0, 0, 0, 0), ref best, ref searched);
            Assert.True(best == planned, $"seed {seed} device {device}: exhaustive {best}, optimum {planned} ({string.Join(' ', plan.MovesOf(device))})");
            total += planned.Ns;
        }

        Assert.True(searched > 1000, $"only {searched} plans searched: the case is too easy to mean anything");
        Assert.Equal(total / 1e9, plan.Statistics.ViolationSeconds, 6);
        Assert.True(plan.Statistics.Exact);
    }

    [Theory]
    [InlineData("gauss-markov", "hex:400", 30.0, "pre-copy")]
    [InlineData("random-waypoint", "hex:500", 25.0, "pre-copy")]
    [InlineData("manhattan", "hex:300", 20.0, "stop-and-copy")]
    public void No_policy_beats_the_optimum_and_the_engine_measures_what_the_search_promised(string kind, string sites, double slaMs, string mode)
    {
        for (var seed = 1; seed <= 6; seed++)
        {
            var spec = new ScenarioSpec
            {
                Seed = seed,
                Duration = "4m",
                Mobility = new MobilitySpec { Kind = kind, Devices = 60, AreaWidthMetres = 3000, AreaHeightMetres = 3000 },
                Sites = sites,
                Policies = ["never", "reactive", "distance", "greedy-oracle", "optimum"],
                Migration = new MigrationSpec { MemoryMiB = 64 + 32 * seed, Mode = mode },
            };
            spec.Policy["slaLatencyMs"] = slaMs;
            spec.Policy["hysteresisMs"] = seed % 3 * 4;
            var summary = ScenarioBuilder.Prepare(spec, _directory.Path).CreateEngine().Run(null, TestContext.Current.CancellationToken).Summary;
            var optimum = summary.Policies["optimum"];

            Assert.NotNull(summary.Optimum);
            Assert.True(summary.Optimum.Exact);
            Assert.Equal(summary.Optimum.ViolationSeconds, optimum.SlaViolationSeconds, 2);
            Assert.Equal(summary.Optimum.Migrations, optimum.Migrations);
            Assert.Equal(1.0, optimum.GapClosed);
            foreach (var (name, metrics) in summary.Policies)
            {
                Assert.True(optimum.SlaViolationSeconds <= metrics.SlaViolationSeconds + 1e-6, $"seed {seed}: {name} {metrics.SlaViolationSeconds} beats the optimum {optimum.SlaViolationSeconds}");
            }
        }
    }

    [Theory]
    [InlineData("gauss-markov", "hex:400", 30.0, "pre-copy")]
    [InlineData("manhattan", "hex:300", 22.0, "pre-copy")]
    [InlineData("random-waypoint", "hex:400", 25.0, "stop-and-copy")]
    public void Restricting_the_search_to_sites_that_meet_the_sla_loses_nothing(string kind, string sites, double slaMs, string mode)
    {
        var spec = new ScenarioSpec
        {
            Seed = 4,
            Duration = "5m",
            Mobility = new MobilitySpec { Kind = kind, Devices = 40, AreaWidthMetres = 4000, AreaHeightMetres = 4000 },
            Sites = sites,
            Migration = new MigrationSpec { Mode = mode, MemoryMiB = 128 },
        };
        var prepared = ScenarioBuilder.Prepare(spec, _directory.Path);
        var network = new SiteNetwork(prepared.Sites, prepared.Settings.Latency, prepared.Settings.Migration);
        var future = new RecordedFuture(prepared.Mobility, network, prepared.Settings.StepSeconds, prepared.Settings.Steps);

        var restricted = OptimalPlacement.Solve(future, slaMs, WorkloadEngine.Container, 2, everySite: false, TestContext.Current.CancellationToken);
        var everything = OptimalPlacement.Solve(future, slaMs, WorkloadEngine.Container, 2, everySite: true, TestContext.Current.CancellationToken);

        Assert.True(everything.Statistics.MeanCandidateSites > 2 * restricted.Statistics.MeanCandidateSites, "the restriction should matter here");
        Assert.Equal(everything.Statistics.ViolationSeconds, restricted.Statistics.ViolationSeconds, 9);
        Assert.Equal(everything.Statistics.Migrations, restricted.Statistics.Migrations);
    }

    [Fact]
    public void Results_are_bit_identical_whatever_the_number_of_threads()
    {
        string Run(int threads)
        {
            var spec = new ScenarioSpec
            {
                Seed = 9,
                Duration = "3m",
                Mobility = new MobilitySpec { Kind = "gauss-markov", Devices = 301, AreaWidthMetres = 4000, AreaHeightMetres = 4000 },
                Sites = "hex:500",
                Latency = new LatencySpec { MeasurementJitterMs = 2 },
            };
            var prepared = ScenarioBuilder.Prepare(spec, _directory.Path);
            prepared = prepared with { Settings = prepared.Settings with { Parallelism = threads } };
            var result = prepared.CreateEngine().Run(null, TestContext.Current.CancellationToken);
            var json = JsonNode.Parse(SummaryJson.Serialize(result.Summary))!.AsObject();
            json.Remove("wallSeconds");
            json["optimum"]!.AsObject().Remove("solveSeconds");
            var text = new StringBuilder(json.ToJsonString());
            foreach (var m in result.Migrations)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{m}");
            }

            return text.ToString();
        }

        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
    }

    /// <summary>Five sites in a cross 250 m apart; three fast Gauss-Markov devices, or a trace whose second device appears late and leaves early.</summary>
    private ScenarioSpec SmallWorld(int seed, string mode, double slaMs, bool trace)
    {
        var projection = new LocalProjection(new(40.5795, -74.1502));
        var sites = new StringBuilder("id,lat,lon\n");
        foreach (var (id, x, y) in new[] { ("c", 0.0, 0.0), ("e", 250.0, 0.0), ("w", -250.0, 0.0), ("n", 0.0, 250.0), ("s", 0.0, -250.0) })
        {
            var geo = projection.ToGeo(new PlanarPoint(x, y));
            sites.Append(CultureInfo.InvariantCulture, $"{id},{geo.Lat:0.0000000},{geo.Lon:0.0000000}\n");
        }

        _directory.Write("sites.csv", sites.ToString());
        var path = new StringBuilder("time,device,lat,lon\n");
        foreach (var (device, t, x, y) in new[] { ("east", 0, -300.0, 20.0), ("east", 16, 300.0, -40.0), ("late", 4, 10.0, -260.0), ("late", 12, -30.0, 240.0) })
        {
            var geo = projection.ToGeo(new PlanarPoint(x, y));
            path.Append(CultureInfo.InvariantCulture, $"{t},{device},{geo.Lat:0.0000000},{geo.Lon:0.0000000}\n");
        }

        _directory.Write("trace.csv", path.ToString());
        var spec = new ScenarioSpec
        {
            Seed = seed,
            Duration = $"{Steps}s",
            Mobility = trace
                ? new MobilitySpec { Kind = "trace", Path = "trace.csv" }
                : new MobilitySpec { Kind = "gauss-markov", Devices = 3, AreaWidthMetres = 500, AreaHeightMetres = 500, MinSpeedMps = 10, MaxSpeedMps = 30 },
            Sites = "sites.csv",
            Migration = new MigrationSpec { MemoryMiB = mode == "pre-copy" ? 16 : 32, Mode = mode },
        };
        spec.Policy["slaLatencyMs"] = slaMs;
        return spec;
    }

    private readonly record struct SearchState(int Step, int Host, int Target, double End, double DowntimeStart, long Ns, int Moves);

    /// <summary>Every plan: at each active step without a migration in flight, stay or start one to any other site.</summary>
    private static void Search(RecordedFuture future, int device, double slaMs, MigrationCostEstimate estimate, SearchState state, ref (long Ns, int Moves) best, ref long searched)
    {
        var dt = future.StepSeconds;
        var sites = future.Network.Sites.Count;
        while (state.Step < Steps)
        {
            var s = state.Step;
            var t = s * dt;
            if (state.Target >= 0 && state.End <= t + 1e-9)
            {
                state = state with { Host = state.Target, Target = -1 };
            }

            var serving = future.ServingSiteAtStep(device, s);
            if (serving < 0)
            {
                state = state with { Step = s + 1 };
                continue;
            }

            if (state.Host < 0)
            {
                state = state with { Host = serving };
            }

            if (state.Target < 0)
            {
                for (var site = 0; site < sites; site++)
                {
                    if (site != state.Host)
                    {
                        var end = t + estimate.TotalSeconds;
                        var moved = state with { Target = site, End = end, DowntimeStart = end - estimate.DowntimeSeconds, Moves = state.Moves + 1 };
                        Search(future, device, slaMs, estimate, Account(future, device, slaMs, moved), ref best, ref searched);
                    }
                }
            }

            state = Account(future, device, slaMs, state);
        }

        searched++;
        if (state.Ns < best.Ns || (state.Ns == best.Ns && state.Moves < best.Moves))
        {
            best = (state.Ns, state.Moves);
        }
    }

    /// <summary>Accounts the current step and moves to the next.</summary>
    private static SearchState Account(RecordedFuture future, int device, double slaMs, SearchState state)
    {
        var dt = future.StepSeconds;
        var t = state.Step * dt;
        var latency = future.LatencyMsAtStep(device, state.Step, state.Host);
        var downtime = state.Target >= 0 ? Math.Max(0, Math.Min(t + dt, state.End) - Math.Max(t, state.DowntimeStart)) : 0;
        var violation = (latency > slaMs ? dt - downtime : 0) + downtime;
        return state with { Step = state.Step + 1, Ns = state.Ns + (long)Math.Round(violation * 1e9) };
    }

    private static (long Ns, int Moves) Evaluate(RecordedFuture future, int device, double slaMs, MigrationCostEstimate estimate, IReadOnlyList<(int Step, int Site)> plan)
    {
        var dt = future.StepSeconds;
        var state = new SearchState(0, -1, -1, 0, 0, 0, 0);
        var next = 0;
        while (state.Step < Steps)
        {
            var t = state.Step * dt;
            if (state.Target >= 0 && state.End <= t + 1e-9)
            {
                state = state with { Host = state.Target, Target = -1 };
            }

            var serving = future.ServingSiteAtStep(device, state.Step);
            if (serving < 0)
            {
                Assert.False(next < plan.Count && plan[next].Step == state.Step, "a move planned while the device is away");
                state = state with { Step = state.Step + 1 };
                continue;
            }

            if (state.Host < 0)
            {
                state = state with { Host = serving };
            }

            if (next < plan.Count && plan[next].Step == state.Step)
            {
                Assert.True(state.Target < 0 && plan[next].Site != state.Host, $"move {next} planned while another is in flight or to the host");
                var end = t + estimate.TotalSeconds;
                state = state with { Target = plan[next].Site, End = end, DowntimeStart = end - estimate.DowntimeSeconds, Moves = state.Moves + 1 };
                next++;
            }

            state = Account(future, device, slaMs, state);
        }

        Assert.Equal(plan.Count, next);
        return (state.Ns, state.Moves);
    }
}
