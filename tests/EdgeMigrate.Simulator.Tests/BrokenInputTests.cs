using System.IO.Compression;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Mobility.Gtfs;
using EdgeMigrate.Simulation.Mobility.Traces;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulator.Tests;

/// <summary>Small hand-made feeds: good ones to pin behaviour, broken ones to check the error names file, line and field.</summary>
[Trait("Category", "Unit")]
public sealed class BrokenInputTests : IDisposable
{
    private const string Trips = "route_id,service_id,trip_id,shape_id\nR1,WK,T1,SH1\n";
    private const string Stops = "stop_id,stop_name,stop_lat,stop_lon\nA,a,40.6000,-74.1000\nB,b,40.6000,-74.0900\nC,c,40.6000,-74.0800\n";
    private const string StopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,07:00:00,07:00:00,A,1\nT1,07:02:00,07:02:30,B,2\nT1,07:04:30,07:04:30,C,3\n";
    private const string Shapes = "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nSH1,40.6000,-74.1000,1\nSH1,40.6000,-74.0900,2\nSH1,40.6000,-74.0800,3\n";

    private readonly TemporaryDirectory _directory = new();

    private string Feed(string trips = Trips, string stops = Stops, string stopTimes = StopTimes, string? shapes = Shapes)
    {
        var folder = Path.Combine(_directory.Path, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "trips.txt"), trips);
        File.WriteAllText(Path.Combine(folder, "stops.txt"), stops);
        File.WriteAllText(Path.Combine(folder, "stop_times.txt"), stopTimes);
        if (shapes is not null)
        {
            File.WriteAllText(Path.Combine(folder, "shapes.txt"), shapes);
        }

        return folder;
    }

    private static GtfsMobility Load(string path) => GtfsFeedLoader.Load(path, new GtfsLoadOptions { StartServiceSeconds = 7 * 3600, DurationSeconds = 600 });

    [Fact]
    public void A_small_feed_loads_from_a_folder_and_from_a_zip()
    {
        var folder = Feed();
        var zip = Path.Combine(_directory.Path, "feed.zip");
        ZipFile.CreateFromDirectory(folder, zip);

        foreach (var feed in new[] { Load(folder), Load(zip) })
        {
            var trip = Assert.Single(feed.Trips);
            var hint = 0;
            Assert.Equal([0.0, 120, 270], trip.Arrivals);
            // Dwell at B from 120 to 150 s; B is halfway along the shape.
            Assert.Equal(trip.StopMetres[1], trip.MetresAt(135, ref hint)!.Value, 6);
            Assert.Equal(trip.StopMetres[1] / 2, trip.MetresAt(60, ref hint)!.Value, 6);
        }
    }

    [Fact]
    public void Shape_dist_traveled_places_stops_when_both_files_have_it()
    {
        // Stop B is drawn at the 3/4 point, but shape_dist_traveled says it is at 1/4 of the way: the feed's distance wins.
        var stops = "stop_id,stop_lat,stop_lon\nA,40.6,-74.1\nB,40.6,-74.085\nC,40.6,-74.08\n";
        var stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\nT1,07:00:00,07:00:00,A,1,0\nT1,07:02:00,07:02:00,B,2,0.25\nT1,07:04:00,07:04:00,C,3,1\n";
        var shapes = "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\nSH1,40.6,-74.1,1,0\nSH1,40.6,-74.08,2,1\n";

        var trip = Assert.Single(Load(Feed(stops: stops, stopTimes: stopTimes, shapes: shapes)).Trips);

        Assert.Equal(trip.Shape.LengthMetres / 4, trip.StopMetres[1], 6);
    }

    [Fact]
    public void Untimed_intermediate_stops_get_times_in_proportion_to_distance()
    {
        var stopTimes = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,07:00:00,07:00:00,A,1\nT1,,,B,2\nT1,07:04:00,07:04:00,C,3\n";

        var trip = Assert.Single(Load(Feed(stopTimes: stopTimes)).Trips);

        Assert.Equal(120, trip.Arrivals[1], 0);
    }

    [Fact]
    public void Trip_without_a_shape_drives_straight_between_its_stops()
    {
        var trip = Assert.Single(Load(Feed(trips: "route_id,service_id,trip_id\nR1,WK,T1\n", shapes: null)).Trips);

        Assert.Equal(3, trip.Shape.Points.Count);
    }

    [Fact]
    public void Missing_column_is_named_with_its_file()
    {
        var error = Assert.Throws<MobilityInputException>(() => Load(Feed(stopTimes: "trip_id,departure_time,stop_id,stop_sequence\nT1,07:00:00,A,1\n")));

        Assert.Equal("stop_times.txt", error.File);
        Assert.Equal(1, error.Line);
        Assert.Equal("arrival_time", error.Field);
        Assert.StartsWith("stop_times.txt line 1, field 'arrival_time': required column is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("07:6x:00")]
    [InlineData("seven")]
    [InlineData("07:65:00")]
    public void Bad_time_names_file_line_and_field(string time)
    {
        var stopTimes = StopTimes.Replace("07:02:00,07:02:30", $"{time},07:02:30", StringComparison.Ordinal);

        var error = Assert.Throws<MobilityInputException>(() => Load(Feed(stopTimes: stopTimes)));

        Assert.Equal("stop_times.txt line 3, field 'arrival_time': '" + time + "' is not a time (H:MM:SS)", error.Message);
    }

    [Fact]
    public void Unknown_shape_id_names_the_trip_line()
    {
        var error = Assert.Throws<MobilityInputException>(() => Load(Feed(trips: "route_id,service_id,trip_id,shape_id\nR1,WK,T1,NOPE\n")));

        Assert.Equal("trips.txt line 2, field 'shape_id': shape 'NOPE' is not in shapes.txt", error.Message);
    }

    [Fact]
    public void Unknown_stop_and_unknown_trip_are_reported_where_they_are_referenced()
    {
        var unknownStop = Assert.Throws<MobilityInputException>(() => Load(Feed(stopTimes: StopTimes.Replace(",C,3", ",Z,3", StringComparison.Ordinal))));
        Assert.Equal("stop_times.txt line 4, field 'stop_id': stop 'Z' is not in stops.txt", unknownStop.Message);

        var unknownTrip = Assert.Throws<MobilityInputException>(() => Load(Feed(stopTimes: StopTimes + "T9,07:00:00,07:00:00,A,1\n")));
        Assert.Equal("stop_times.txt line 5, field 'trip_id': trip 'T9' is not in trips.txt", unknownTrip.Message);
    }

    [Fact]
    public void Bad_coordinates_and_missing_files_are_named()
    {
        var badLat = Assert.Throws<MobilityInputException>(() => Load(Feed(stops: Stops.Replace("B,b,40.6000", "B,b,north", StringComparison.Ordinal))));
        Assert.Equal("stops.txt line 3, field 'stop_lat': 'north' is not a number", badLat.Message);

        var folder = Feed();
        File.Delete(Path.Combine(folder, "stops.txt"));
        var missing = Assert.Throws<MobilityInputException>(() => Load(folder));
        Assert.StartsWith("stops.txt: required file is missing", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_travel_between_stops_is_rejected()
    {
        var error = Assert.Throws<MobilityInputException>(() => Load(Feed(stopTimes: StopTimes.Replace("07:04:30,07:04:30", "07:01:00,07:01:00", StringComparison.Ordinal))));

        Assert.Equal("stop_times.txt", error.File);
        Assert.Equal(4, error.Line);
        Assert.Equal("arrival_time", error.Field);
    }

    [Fact]
    public void Trace_csv_interpolates_between_samples()
    {
        var path = _directory.Write("trace.csv", "time,device,lat,lon\n0,b,40.6,-74.1\n10,b,40.6,-74.09\n0,a,40.6,-74.1\n");
        var trace = CsvTraceMobility.Load(path);
        var positions = new PlanarPoint[2];
        var active = new bool[2];

        trace.MoveTo(5, 0, trace.DeviceCount, positions, active);

        Assert.Equal(["a", "b"], [trace.DeviceId(0), trace.DeviceId(1)]);
        Assert.False(active[0]); // a single sample at t=0 only
        Assert.True(active[1]);
        Assert.Equal(trace.Projection.ToPlanar(new(40.6, -74.095)).X, positions[1].X, 3);
    }

    [Fact]
    public void Trace_csv_accepts_iso_timestamps()
    {
        var path = _directory.Write("trace.csv", "time,device,lat,lon\n2026-11-24T07:30:00Z,a,40.6,-74.1\n2026-11-24T07:31:00Z,a,40.6,-74.09\n");

        Assert.Equal(60, CsvTraceMobility.Load(path).EndSeconds);
    }

    [Theory]
    [InlineData("time,device,lat\n0,a,40.6\n", "trace.csv line 1, field 'lon': required column is missing (header has: time, device, lat)")]
    [InlineData("time,device,lat,lon\n0,a,40.6,-74.1\nsoon,a,40.6,-74.1\n", "trace.csv line 3, field 'time': 'soon' is not seconds like the earlier rows")]
    [InlineData("time,device,lat,lon\n0,a,40.6,-74.1\n1,a,95,-74.1\n", "trace.csv line 3, field 'lat': (95, -74.1) is not a valid position")]
    [InlineData("time,device,lat,lon\n0,,40.6,-74.1\n", "trace.csv line 2, field 'device': value is missing")]
    public void Broken_trace_csv_names_file_line_and_field(string content, string expected)
    {
        var path = _directory.Write("trace.csv", content);

        Assert.Equal(expected, Assert.Throws<MobilityInputException>(() => CsvTraceMobility.Load(path)).Message);
    }

    [Fact]
    public void Site_csv_reads_capacity_and_architecture_and_rejects_unknown_ones()
    {
        var projection = new LocalProjection(new(40.6, -74.1));
        var good = SiteCsvLoader.Load(_directory.Write("sites.csv", "id,lat,lon,capacity,arch\ns1,40.6,-74.1,10,arm64\ns2,40.61,-74.1,,x64\n"), projection);
        Assert.Equal(10, good[0].Capacity);
        Assert.Equal(Models.CpuArchitecture.Arm64, good[0].Architecture);
        Assert.Equal(int.MaxValue, good[1].Capacity);

        var error = Assert.Throws<MobilityInputException>(() => SiteCsvLoader.Load(_directory.Write("bad.csv", "id,lat,lon,capacity,arch\ns1,40.6,-74.1,10,sparc\n"), projection));
        Assert.Equal("bad.csv line 2, field 'arch': 'sparc' is not an architecture (x64 or arm64)", error.Message);
    }

    public void Dispose() => _directory.Dispose();
}
