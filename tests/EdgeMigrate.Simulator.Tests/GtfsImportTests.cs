using System.Globalization;
using System.IO.Compression;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility.Gtfs;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Tests;

/// <summary>Import of the real Staten Island feed, checked against the feed's own files read independently here.</summary>
[Trait("Category", "Gtfs")]
public sealed class GtfsImportTests
{
    private const double Start = 7 * 3600 + 30 * 60;

    private static readonly Lazy<GtfsMobility> Feed = new(() => GtfsFeedLoader.Load(RepositoryPaths.StatenIslandFeed, new GtfsLoadOptions
    {
        StartServiceSeconds = Start,
        DurationSeconds = 600,
        MaxTrips = 60,
        DevicesPerVehicle = 2,
    }));

    [Fact]
    public void Selects_the_earliest_trips_running_in_the_window_with_the_devices_they_carry()
    {
        var feed = Feed.Value;

        Assert.Equal(60, feed.Trips.Count);
        Assert.Equal(120, feed.DeviceCount);
        Assert.All(feed.Trips, trip => Assert.True(trip.StartSeconds <= 600 && trip.EndSeconds >= 0, $"{trip.TripId} runs outside the window"));
        Assert.Equal(feed.Trips[0].TripId + "#1", feed.DeviceId(1));
    }

    [Fact]
    public void Every_vehicle_follows_the_shape_its_trip_names()
    {
        var tripShapes = ReadColumns("trips.txt", "trip_id", "shape_id").ToDictionary(r => r[0], r => r[1], StringComparer.Ordinal);
        foreach (var trip in Feed.Value.Trips)
        {
            Assert.Equal(tripShapes[trip.TripId], trip.Shape.Id);
            for (var t = Math.Max(trip.StartSeconds, 0); t <= Math.Min(trip.EndSeconds, 600); t += 7)
            {
                var position = trip.PositionAt(t)!.Value;
                Assert.True(trip.Shape.DistanceTo(position) < 0.01, $"{trip.TripId} is off its shape at t={t}");
            }
        }
    }

    [Fact]
    public void Vehicles_are_at_their_stops_at_the_scheduled_times()
    {
        var feed = Feed.Value;
        var stops = ReadColumns("stops.txt", "stop_id", "stop_lat", "stop_lon")
            .ToDictionary(r => r[0], r => new GeoPoint(Parse(r[1]), Parse(r[2])), StringComparer.Ordinal);
        var selected = feed.Trips.Select(t => t.TripId).ToHashSet(StringComparer.Ordinal);
        var stopTimes = ReadColumns("stop_times.txt", "trip_id", "arrival_time", "stop_id", "stop_sequence")
            .Where(r => selected.Contains(r[0]))
            .GroupBy(r => r[0])
            .ToDictionary(g => g.Key, g => g.OrderBy(r => int.Parse(r[3], CultureInfo.InvariantCulture)).ToList(), StringComparer.Ordinal);

        var gaps = new List<double>();
        foreach (var trip in feed.Trips)
        {
            var rows = stopTimes[trip.TripId];
            Assert.Equal(rows.Count, trip.Arrivals.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                Assert.Equal(GtfsTime.Parse(rows[i][1]) - Start, trip.Arrivals[i]);
                var position = feed.Projection.ToGeo(trip.PositionAt(trip.Arrivals[i])!.Value);
                gaps.Add(position.DistanceMetresTo(stops[rows[i][2]]));
            }

            Assert.Null(trip.PositionAt(trip.StartSeconds - 1));
            Assert.Null(trip.PositionAt(trip.EndSeconds + 1));
        }

        // Stops sit at the kerb, a few metres off the centre-line shape; the vehicle must be there, not elsewhere on the route.
        gaps.Sort();
        Assert.True(gaps[gaps.Count / 2] < 15, $"median stop gap {gaps[gaps.Count / 2]:0.0} m");
        Assert.True(gaps[^1] < 100, $"largest stop gap {gaps[^1]:0.0} m");
    }

    [Fact]
    public void Vehicles_advance_monotonically_along_the_shape()
    {
        foreach (var trip in Feed.Value.Trips)
        {
            var hint = 0;
            var last = double.NegativeInfinity;
            for (var t = trip.StartSeconds; t <= trip.EndSeconds; t += 5)
            {
                var metres = trip.MetresAt(t, ref hint)!.Value;
                Assert.True(metres >= last, $"{trip.TripId} went backwards at {t}");
                last = metres;
            }
        }
    }

    [Fact]
    public void Mobility_reports_inactive_vehicles_outside_their_trip()
    {
        var feed = Feed.Value;
        var positions = new PlanarPoint[feed.DeviceCount];
        var active = new bool[feed.DeviceCount];
        feed.Reset();
        feed.MoveTo(300, 0, feed.DeviceCount, positions, active);
        for (var d = 0; d < feed.DeviceCount; d++)
        {
            var trip = feed.TripOf(d);
            Assert.Equal(trip.StartSeconds <= 300 && trip.EndSeconds >= 300, active[d]);
        }
    }

    [Fact]
    public void Optimum_bounds_the_other_policies_on_real_buses()
    {
        var spec = new ScenarioSpec
        {
            Duration = "10m",
            Mobility = new MobilitySpec { Kind = "gtfs", Path = RepositoryPaths.StatenIslandFeed, Start = "07:30", MaxTrips = 80 },
            Sites = "hex:800",
        };
        var policies = ScenarioBuilder.Prepare(spec, RepositoryPaths.Root).CreateEngine().Run(null, TestContext.Current.CancellationToken).Summary.Policies;

        foreach (var (name, metrics) in policies)
        {
            Assert.True(policies["optimum"].SlaViolationSeconds <= metrics.SlaViolationSeconds, $"optimum worse than {name}");
        }
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A deliberately naive reader (split on commas) so the check does not share code with the importer.</summary>
    private static IEnumerable<string[]> ReadColumns(string file, params string[] columns)
    {
        using var zip = ZipFile.OpenRead(RepositoryPaths.StatenIslandFeed);
        using var reader = new StreamReader(zip.GetEntry(file)!.Open());
        var header = reader.ReadLine()!.Split(',');
        var indexes = columns.Select(c => Array.IndexOf(header, c)).ToArray();
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            rows.Add([.. indexes.Select(i => fields[i].Trim())]);
        }

        return rows;
    }
}
