using System.Globalization;
using System.Text;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Tests;

/// <summary>Per-site-pair links: bandwidth sets what a migration between the pair costs, RTT the backhaul latency between them.</summary>
[Trait("Category", "Unit")]
public sealed class SiteLinkTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>Three sites in a row 600 m apart and one device driving from the first to the last in 10 minutes.</summary>
    private ScenarioSpec Row(string? links)
    {
        var projection = new LocalProjection(new(40.6, -74.1));
        var sites = new StringBuilder("id,lat,lon\n");
        foreach (var (id, x) in new[] { ("a", 0.0), ("b", 600.0), ("c", 1200.0) })
        {
            var geo = projection.ToGeo(new PlanarPoint(x, 0));
            sites.Append(CultureInfo.InvariantCulture, $"{id},{geo.Lat:0.0000000},{geo.Lon:0.0000000}\n");
        }

        var start = projection.ToGeo(new PlanarPoint(-100, 0));
        var end = projection.ToGeo(new PlanarPoint(1300, 0));
        _directory.Write("sites.csv", sites.ToString());
        _directory.Write("trace.csv", string.Create(CultureInfo.InvariantCulture, $"time,device,lat,lon\n0,car,{start.Lat:0.0000000},{start.Lon:0.0000000}\n600,car,{end.Lat:0.0000000},{end.Lon:0.0000000}\n"));
        if (links is not null)
        {
            _directory.Write("links.csv", links);
        }

        return new ScenarioSpec
        {
            Duration = "10m",
            Mobility = new MobilitySpec { Kind = "trace", Path = "trace.csv" },
            Sites = "sites.csv",
            Links = links is null ? null : "links.csv",
            Policies = ["reactive", "optimum"],
        };
    }

    [Fact]
    public void A_slow_link_makes_migrations_over_it_longer_and_the_optimum_is_no_longer_called_exact()
    {
        var plain = ScenarioBuilder.Prepare(Row(null), _directory.Path).CreateEngine().Run(null, TestContext.Current.CancellationToken);
        var slow = ScenarioBuilder.Prepare(Row("from,to,mbps,rttMs\na,b,20,\n"), _directory.Path).CreateEngine().Run(null, TestContext.Current.CancellationToken);

        var move = Assert.Single(plain.Migrations, m => m.Policy == "reactive" && m.FromSite == "a");
        var slowMove = Assert.Single(slow.Migrations, m => m.Policy == "reactive" && m.FromSite == "a");
        Assert.Equal(plain.Summary.MigrationEstimate.TotalSeconds, move.EndSeconds - move.StartSeconds, 2);
        Assert.True(slowMove.EndSeconds - slowMove.StartSeconds > 3 * (move.EndSeconds - move.StartSeconds), $"{slowMove.EndSeconds - slowMove.StartSeconds} s over the 20 Mbit/s link");
        // b → c keeps the default bandwidth: only a → b is slow.
        var next = Assert.Single(slow.Migrations, m => m.Policy == "reactive" && m.FromSite == "b");
        Assert.Equal(plain.Summary.MigrationEstimate.TotalSeconds, next.EndSeconds - next.StartSeconds, 2);
        Assert.True(plain.Summary.Optimum!.Exact);
        Assert.False(slow.Summary.Optimum!.Exact);
        Assert.True(slow.Summary.Policies["optimum"].SlaViolationSeconds <= slow.Summary.Policies["reactive"].SlaViolationSeconds);
    }

    [Fact]
    public void A_short_round_trip_between_two_sites_keeps_the_service_within_the_sla_without_moving()
    {
        // 600 m of backhaul is 6 + 9 = 15 ms by the latency model; with a 1 ms round trip between a and b the device
        // attached to b still reaches its service on a in access + 1 ms.
        var spec = Row("from,to,mbps,rttMs\na,b,,1\n");
        spec.Policy["slaLatencyMs"] = 12;
        var near = ScenarioBuilder.Prepare(spec, _directory.Path).CreateEngine().Run(null, TestContext.Current.CancellationToken);
        spec.Links = null;
        var far = ScenarioBuilder.Prepare(spec, _directory.Path).CreateEngine().Run(null, TestContext.Current.CancellationToken);

        Assert.True(near.Summary.Policies["optimum"].SlaViolationSeconds < far.Summary.Policies["optimum"].SlaViolationSeconds);
        Assert.True(near.Summary.Policies["optimum"].Migrations < far.Summary.Policies["optimum"].Migrations);
    }

    [Theory]
    [InlineData("from,to,mbps\na,x,10\n", "'x' is not a site")]
    [InlineData("from,to,mbps\na,a,10\n", "two different sites")]
    [InlineData("from,to,mbps\na,b,-3\n", "must be > 0")]
    [InlineData("from,to,mbps\na,b,10\na,b,20\n", "appears twice")]
    [InlineData("from,to,rttMs\na,b,fast\n", "not a number")]
    public void A_broken_links_file_names_line_and_field(string links, string expected)
    {
        var error = Assert.Throws<MobilityInputException>(() => ScenarioBuilder.Prepare(Row(links), _directory.Path));

        Assert.Contains("links.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
