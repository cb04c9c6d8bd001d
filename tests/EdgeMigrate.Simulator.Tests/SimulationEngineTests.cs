using System.Text.Json.Nodes;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulator.Tests;

[Trait("Category", "Unit")]
public sealed class SimulationEngineTests
{
    private static ScenarioSpec Synthetic(string kind, int devices = 300, string duration = "10m") => new()
    {
        Seed = 3,
        Duration = duration,
        Mobility = new MobilitySpec { Kind = kind, Devices = devices, AreaWidthMetres = 4000, AreaHeightMetres = 4000 },
        Sites = "hex:500",
    };

    private static SimulationResult Run(ScenarioSpec spec) =>
        ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory).CreateEngine().Run(null, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("random-waypoint")]
    [InlineData("gauss-markov")]
    [InlineData("manhattan")]
    public void Optimum_violates_the_sla_no_more_than_any_other_policy(string kind)
    {
        var policies = Run(Synthetic(kind)).Summary.Policies;
        var oracle = policies["optimum"].SlaViolationSeconds;

        Assert.True(policies["never"].SlaViolationSeconds > 0, "the scenario should stress the policies");
        foreach (var (name, metrics) in policies)
        {
            Assert.True(oracle <= metrics.SlaViolationSeconds, $"optimum {oracle} > {name} {metrics.SlaViolationSeconds}");
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_summary()
    {
        var first = JsonNode.Parse(SummaryJson.Serialize(Run(Synthetic("gauss-markov", 200, "5m")).Summary))!.AsObject();
        var second = JsonNode.Parse(SummaryJson.Serialize(Run(Synthetic("gauss-markov", 200, "5m")).Summary))!.AsObject();
        foreach (var summary in new[] { first, second })
        {
            summary.Remove("wallSeconds");
            summary["optimum"]!.AsObject().Remove("solveSeconds");
        }


        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Contains("\"reactive\"", first.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_seed_gives_another_summary()
    {
        var spec = Synthetic("random-waypoint", 100, "3m");
        var first = Run(spec).Summary.Policies["reactive"];
        spec.Seed = 4;
        var second = Run(spec).Summary.Policies["reactive"];

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Never_moves_nothing_and_migrating_policies_pay_the_cost_model_per_move()
    {
        var result = Run(Synthetic("random-waypoint", 100, "5m"));
        var summary = result.Summary;

        Assert.Equal(0, summary.Policies["never"].Migrations);
        Assert.Equal(0, summary.Policies["never"].DowntimeSeconds);
        var reactive = summary.Policies["reactive"];
        Assert.True(reactive.Migrations > 0);
        Assert.Equal(reactive.Migrations * summary.MigrationEstimate.Bytes, reactive.BytesTransferred, (double)reactive.Migrations);
        Assert.Equal(reactive.Migrations, result.Migrations.Count(m => m.Policy == "reactive"));
        // Downtime counts fully unless the run ends mid-freeze.
        Assert.InRange(reactive.DowntimeSeconds, (reactive.CompletedMigrations - 1) * summary.MigrationEstimate.DowntimeSeconds, reactive.Migrations * summary.MigrationEstimate.DowntimeSeconds + 1e-6);
        Assert.Equal(100 * 300, summary.Policies["never"].DeviceSeconds);
        var moves = summary.Policies.Values.Sum(p => p.Migrations);
        Assert.Equal(100 * 300 + 100 * 300 * summary.Policies.Count + 2 * moves, summary.Events, 3.0 * 100);
    }

    [Fact]
    public void Ping_pongs_are_counted_when_a_service_returns_within_the_window()
    {
        var spec = Synthetic("random-waypoint", 200, "5m");
        spec.Policy["hysteresisMs"] = 0;
        spec.Policy["timeToTriggerSeconds"] = 0;
        spec.Migration.MemoryMiB = 8; // quick moves so devices can bounce between neighbours
        var result = Run(spec);

        var reactive = result.Migrations.Where(m => m.Policy == "reactive").ToList();
        Assert.Equal(reactive.Count(m => m.PingPong), result.Summary.Policies["reactive"].PingPongs);
        Assert.True(result.Summary.Policies["reactive"].PingPongs > 0);
    }

    [Fact]
    public void Example_scenarios_load()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "simulations", "scenarios"), "*.yaml"))
        {
            var spec = ScenarioFile.Load(file);
            Assert.NotEmpty(spec.Policies);
            Assert.NotNull(ScenarioBuilder.Settings(spec));
        }
    }

    [Fact]
    public void Scenario_typos_are_reported_with_their_line()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("bad.yaml", "seed: 1\nmobility:\n  kind: gtfs\n  maxTrip: 3\n");

        var error = Assert.Throws<ScenarioException>(() => ScenarioFile.Load(path));

        Assert.Contains("bad.yaml line 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("maxTrip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nearest_site_queries_match_brute_force()
    {
        var projection = new LocalProjection(new(40.6, -74.1));
        var sites = new SiteLayout(HexGridSites.Create(new PlanarBounds(-2000, -1500, 2500, 1800), 430, projection));
        var random = new Random(5);
        Span<int> found = stackalloc int[4];
        Span<double> distances = stackalloc double[4];
        for (var i = 0; i < 2000; i++)
        {
            // Include points well outside the grid: the search must still be exact there.
            var point = new PlanarPoint(random.NextDouble() * 9000 - 4500, random.NextDouble() * 7000 - 3500);
            var expected = Enumerable.Range(0, sites.Count).OrderBy(s => sites.PositionOf(s).DistanceTo(point)).ThenBy(s => s).Take(4).ToArray();
            Assert.Equal(4, sites.Nearest(point, found, distances));
            Assert.Equal(expected, found.ToArray());
        }
    }

    [Fact]
    public void Hex_grid_sites_are_evenly_spaced_and_cover_the_area()
    {
        var projection = new LocalProjection(new(40.6, -74.1));
        var bounds = new PlanarBounds(0, 0, 3000, 2000);
        var sites = new SiteLayout(HexGridSites.Create(bounds, 500, projection));

        var nearestNeighbour = Enumerable.Range(0, sites.Count).Select(s =>
        {
            Span<int> two = stackalloc int[2];
            Span<double> d = stackalloc double[2];
            sites.Nearest(sites.PositionOf(s), two, d);
            return d[1];
        }).ToArray();
        Assert.All(nearestNeighbour, d => Assert.Equal(500, d, 6));

        // No point of the area is further than the hexagon's circumradius from a site.
        for (var x = 0.0; x <= 3000; x += 37)
        {
            for (var y = 0.0; y <= 2000; y += 41)
            {
                sites.Nearest(new PlanarPoint(x, y), out var distance);
                Assert.True(distance <= 500 / Math.Sqrt(3) + 1e-6);
            }
        }
    }
}
