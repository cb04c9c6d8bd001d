using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Mobility.Synthetic;

namespace EdgeMigrate.Simulator.Tests;

[Trait("Category", "Unit")]
public sealed class MobilityModelTests
{
    private static readonly SyntheticMobilitySettings Settings = new()
    {
        Devices = 200, Seed = 7, AreaWidthMetres = 3000, AreaHeightMetres = 2000, MinSpeedMps = 2, MaxSpeedMps = 12, MaxPauseSeconds = 20, BlockMetres = 250,
    };

    public static TheoryData<string> Models => ["random-waypoint", "gauss-markov", "manhattan"];

    private static SyntheticMobility Create(string kind, SyntheticMobilitySettings settings) => kind switch
    {
        "random-waypoint" => new RandomWaypointMobility(settings),
        "gauss-markov" => new GaussMarkovMobility(settings),
        _ => new ManhattanGridMobility(settings),
    };

    /// <summary>Positions of every device at every second for ten minutes: [step][device].</summary>
    private static PlanarPoint[][] Trace(IMobilityModel model, int seconds = 600)
    {
        var steps = new PlanarPoint[seconds + 1][];
        var active = new bool[model.DeviceCount];
        model.Reset();
        for (var t = 0; t <= seconds; t++)
        {
            steps[t] = new PlanarPoint[model.DeviceCount];
            model.MoveTo(t, steps[t], active);
            Assert.All(active, Assert.True);
        }

        return steps;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Devices_stay_in_the_area(string kind)
    {
        var model = Create(kind, Settings);
        foreach (var step in Trace(model))
        {
            Assert.All(step, p => Assert.True(model.Bounds.Contains(p, 1e-6), $"{p} outside {model.Bounds}"));
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Speeds_never_exceed_the_maximum(string kind)
    {
        var trace = Trace(Create(kind, Settings));
        for (var t = 1; t < trace.Length; t++)
        {
            for (var d = 0; d < Settings.Devices; d++)
            {
                // Straight-line displacement bounds the speed from below, so it may never exceed the cap.
                Assert.True(trace[t][d].DistanceTo(trace[t - 1][d]) <= Settings.MaxSpeedMps + 1e-6, $"{kind}: device {d} moved too fast at t={t}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Devices_actually_move_and_spread_over_the_area(string kind)
    {
        var trace = Trace(Create(kind, Settings));
        var meanSpeed = Enumerable.Range(1, trace.Length - 1).Average(t => Enumerable.Range(0, Settings.Devices).Average(d => trace[t][d].DistanceTo(trace[t - 1][d])));
        // Pauses (random waypoint) and turns lower the mean below the speed range's midpoint, but not far.
        Assert.InRange(meanSpeed, 0.3 * Settings.MinSpeedMps, Settings.MaxSpeedMps);

        var final = trace[^1];
        Assert.True(final.Count(p => p.X < 0) > Settings.Devices / 5 && final.Count(p => p.X > 0) > Settings.Devices / 5, "devices should populate both halves");
    }

    [Fact]
    public void Gauss_markov_moves_in_a_range_of_speeds_around_the_mean()
    {
        var trace = Trace(Create("gauss-markov", Settings));
        var speeds = Enumerable.Range(1, trace.Length - 1).SelectMany(t => Enumerable.Range(0, Settings.Devices).Select(d => trace[t][d].DistanceTo(trace[t - 1][d]))).ToArray();
        // Between the bounds the mean speed sits near the midpoint (7 m/s); edge reflections only shorten steps.
        Assert.InRange(speeds.Average(), 5.5, 8);
        Assert.True(speeds.Max() <= Settings.MaxSpeedMps + 1e-6);
    }

    [Fact]
    public void Random_waypoint_moves_between_min_and_max_speed_when_not_paused()
    {
        var trace = Trace(Create("random-waypoint", Settings with { MaxPauseSeconds = 0 }));
        var speeds = Enumerable.Range(1, trace.Length - 1).SelectMany(t => Enumerable.Range(0, Settings.Devices).Select(d => trace[t][d].DistanceTo(trace[t - 1][d]))).ToArray();
        // Without pauses a second-long step only falls under the minimum when it turns at a waypoint.
        Assert.True(speeds.Count(s => s < Settings.MinSpeedMps - 1e-6) < speeds.Length / 20);
        Assert.InRange(speeds.Average(), Settings.MinSpeedMps, Settings.MaxSpeedMps);
    }

    [Fact]
    public void Manhattan_devices_stay_on_the_streets()
    {
        var model = Create("manhattan", Settings);
        foreach (var step in Trace(model))
        {
            Assert.All(step, p =>
            {
                var offX = Math.IEEERemainder(p.X - model.Bounds.MinX, Settings.BlockMetres);
                var offY = Math.IEEERemainder(p.Y - model.Bounds.MinY, Settings.BlockMetres);
                Assert.True(Math.Abs(offX) < 1e-6 || Math.Abs(offY) < 1e-6, $"{p} is between streets");
            });
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Same_seed_same_paths_other_seed_other_paths(string kind)
    {
        var first = Trace(Create(kind, Settings), 120);
        var again = Trace(Create(kind, Settings), 120);
        var other = Trace(Create(kind, Settings with { Seed = 8 }), 120);

        Assert.Equal(first[^1], again[^1]);
        Assert.NotEqual(first[^1], other[^1]);
    }

    [Fact]
    public void Reset_replays_the_same_paths()
    {
        var model = Create("random-waypoint", Settings);
        var first = Trace(model, 60);
        var second = Trace(model, 60);

        Assert.Equal(first[^1], second[^1]);
    }
}
