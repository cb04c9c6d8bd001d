using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>
/// Loads vehicle movements from a standard GTFS feed (trips, stop_times, stops, shapes). Times between stops are
/// interpolated along the shape, by shape_dist_traveled when both files have it, else by projecting stops onto
/// the shape. frequencies.txt and calendars are not interpreted: every trip in the feed runs.
/// </summary>
public static class GtfsFeedLoader
{
    public static GtfsMobility Load(string path, GtfsLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var files = new GtfsFeedFiles(path);
        var trips = ReadTrips(files);
        var stopTimes = ReadStopTimes(files, trips);

        var windowStart = options.StartServiceSeconds;
        var windowEnd = options.StartServiceSeconds + options.DurationSeconds;
        var selected = stopTimes
            .Where(kv => kv.Value.Count >= 2 && (options.RouteFilter is null || options.RouteFilter(trips[kv.Key].RouteId)))
            .Select(kv => (TripId: kv.Key, Rows: kv.Value, First: kv.Value[0].Arrival!.Value, Last: kv.Value[^1].Arrival!.Value))
            .Where(t => t.Last >= windowStart && t.First <= windowEnd)
            .OrderBy(t => t.First)
            .ThenBy(t => t.TripId, StringComparer.Ordinal)
            .ToList();
        if (options.MaxTrips > 0 && selected.Count > options.MaxTrips)
        {
            selected = selected.GetRange(0, options.MaxTrips);
        }

        var stops = ReadStops(files, selected.SelectMany(t => t.Rows.Select(r => r.StopId)).ToHashSet(StringComparer.Ordinal), stopTimes);
        var neededShapes = selected.Select(t => trips[t.TripId].ShapeId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var shapes = ReadShapes(files, trips, neededShapes);

        var geoPoints = shapes.Values.SelectMany(s => s.Points).Concat(stops.Values).ToList();
        var projection = LocalProjection.CentredOn(geoPoints);
        var shapePaths = new Dictionary<string, ShapePath>(StringComparer.Ordinal);
        foreach (var (id, shape) in shapes)
        {
            shapePaths[id] = new ShapePath(id, [.. shape.Points.Select(projection.ToPlanar)], shape.FeedDistances);
        }

        var projectionCache = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var paths = new List<GtfsTripPath>(selected.Count);
        foreach (var (tripId, rows, _, _) in selected)
        {
            var trip = trips[tripId];
            var stopPoints = rows.Select(r => projection.ToPlanar(stops[r.StopId])).ToList();
            var shape = trip.ShapeId is null
                ? new ShapePath($"stops:{tripId}", stopPoints, null) // no shape: straight lines between stops
                : shapePaths[trip.ShapeId];

            double[] stopMetres;
            if (shape.FeedDistances is not null && rows.All(r => r.ShapeDistance is not null))
            {
                stopMetres = [.. rows.Select(r => shape.MetresAtFeedDistance(r.ShapeDistance!.Value))];
            }
            else
            {
                var key = shape.Id + "|" + string.Join(",", rows.Select(r => r.StopId));
                if (!projectionCache.TryGetValue(key, out var cached))
                {
                    cached = shape.ProjectStops(stopPoints);
                    projectionCache[key] = cached;
                }

                stopMetres = cached;
            }

            var (arrivals, departures) = FillTimes(rows, stopMetres, windowStart);
            paths.Add(new GtfsTripPath(tripId, trip.RouteId, shape, arrivals, departures, stopMetres));
        }

        return new GtfsMobility(paths, options.DevicesPerVehicle, projection, options.StartServiceSeconds);
    }

    private static Dictionary<string, TripRow> ReadTrips(GtfsFeedFiles files)
    {
        using var table = files.Open("trips.txt");
        var tripIdColumn = table.Column("trip_id");
        var routeColumn = table.Column("route_id");
        var shapeColumn = table.OptionalColumn("shape_id");
        var trips = new Dictionary<string, TripRow>(StringComparer.Ordinal);
        while (table.Read())
        {
            var tripId = table.Text(tripIdColumn, "trip_id");
            if (!trips.TryAdd(tripId, new TripRow(table.Text(routeColumn, "route_id"), table.OptionalText(shapeColumn), table.Line)))
            {
                throw table.Error("trip_id", $"trip '{tripId}' is defined twice");
            }
        }

        return trips;
    }

    private static Dictionary<string, List<StopTimeRow>> ReadStopTimes(GtfsFeedFiles files, Dictionary<string, TripRow> trips)
    {
        using var table = files.Open("stop_times.txt");
        var tripColumn = table.Column("trip_id");
        var arrivalColumn = table.Column("arrival_time");
        var departureColumn = table.Column("departure_time");
        var stopColumn = table.Column("stop_id");
        var sequenceColumn = table.Column("stop_sequence");
        var distanceColumn = table.OptionalColumn("shape_dist_traveled");
        var byTrip = new Dictionary<string, List<StopTimeRow>>(StringComparer.Ordinal);
        while (table.Read())
        {
            var tripId = table.Text(tripColumn, "trip_id");
            if (!trips.ContainsKey(tripId))
            {
                throw table.Error("trip_id", $"trip '{tripId}' is not in trips.txt");
            }

            var arrival = ParseTime(table, arrivalColumn, "arrival_time");
            var departure = ParseTime(table, departureColumn, "departure_time");
            var row = new StopTimeRow(
                table.Integer(sequenceColumn, "stop_sequence"),
                arrival ?? departure,
                departure ?? arrival,
                table.Text(stopColumn, "stop_id"),
                table.OptionalDouble(distanceColumn, "shape_dist_traveled"),
                table.Line);
            if (!byTrip.TryGetValue(tripId, out var list))
            {
                list = [];
                byTrip[tripId] = list;
            }

            list.Add(row);
        }

        foreach (var (tripId, rows) in byTrip)
        {
            rows.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            // The ends of a trip must be timed; intermediate untimed stops are interpolated later.
            foreach (var end in new[] { rows[0], rows[^1] })
            {
                if (end.Arrival is null)
                {
                    throw new MobilityInputException("stop_times.txt", end.Line, "arrival_time", $"the first and last stop of trip '{tripId}' need a time");
                }
            }

            for (var i = 1; i < rows.Count; i++)
            {
                if (rows[i].Arrival is { } a && rows[i - 1].Departure is { } d && a < d)
                {
                    throw new MobilityInputException("stop_times.txt", rows[i].Line, "arrival_time", $"trip '{tripId}' arrives at {GtfsTime.Format(a)}, before it left the previous stop at {GtfsTime.Format(d)}");
                }
            }
        }

        return byTrip;
    }

    private static double? ParseTime(CsvTable table, int column, string field)
    {
        var text = table.OptionalText(column);
        if (text is null)
        {
            return null;
        }

        return GtfsTime.TryParse(text, out var seconds) ? seconds : throw table.Error(field, $"'{text}' is not a time (H:MM:SS)");
    }

    private static Dictionary<string, GeoPoint> ReadStops(GtfsFeedFiles files, HashSet<string> needed, Dictionary<string, List<StopTimeRow>> stopTimes)
    {
        using var table = files.Open("stops.txt");
        var idColumn = table.Column("stop_id");
        var latColumn = table.Column("stop_lat");
        var lonColumn = table.Column("stop_lon");
        var stops = new Dictionary<string, GeoPoint>(StringComparer.Ordinal);
        while (table.Read())
        {
            var id = table.Text(idColumn, "stop_id");
            if (!needed.Contains(id))
            {
                continue;
            }

            var point = new GeoPoint(table.Double(latColumn, "stop_lat"), table.Double(lonColumn, "stop_lon"));
            if (!point.IsValid)
            {
                throw table.Error("stop_lat", $"({point.Lat}, {point.Lon}) is not a valid position");
            }

            stops[id] = point;
        }

        foreach (var rows in stopTimes.Values)
        {
            foreach (var row in rows)
            {
                if (needed.Contains(row.StopId) && !stops.ContainsKey(row.StopId))
                {
                    throw new MobilityInputException("stop_times.txt", row.Line, "stop_id", $"stop '{row.StopId}' is not in stops.txt");
                }
            }
        }

        return stops;
    }

    private static Dictionary<string, RawShape> ReadShapes(GtfsFeedFiles files, Dictionary<string, TripRow> trips, HashSet<string> needed)
    {
        var raw = new Dictionary<string, List<(int Sequence, GeoPoint Point, double? Distance)>>(StringComparer.Ordinal);
        if (files.Has("shapes.txt"))
        {
            using var table = files.Open("shapes.txt");
            var idColumn = table.Column("shape_id");
            var latColumn = table.Column("shape_pt_lat");
            var lonColumn = table.Column("shape_pt_lon");
            var sequenceColumn = table.Column("shape_pt_sequence");
            var distanceColumn = table.OptionalColumn("shape_dist_traveled");
            while (table.Read())
            {
                var id = table.Text(idColumn, "shape_id");
                if (!raw.TryGetValue(id, out var list))
                {
                    list = [];
                    raw[id] = list;
                }

                if (!needed.Contains(id))
                {
                    continue; // known, so trips may name it, but not simulated
                }

                var point = new GeoPoint(table.Double(latColumn, "shape_pt_lat"), table.Double(lonColumn, "shape_pt_lon"));
                if (!point.IsValid)
                {
                    throw table.Error("shape_pt_lat", $"({point.Lat}, {point.Lon}) is not a valid position");
                }

                list.Add((table.Integer(sequenceColumn, "shape_pt_sequence"), point, table.OptionalDouble(distanceColumn, "shape_dist_traveled")));
            }
        }

        foreach (var trip in trips.Values.OrderBy(t => t.Line))
        {
            if (trip.ShapeId is not null && !raw.ContainsKey(trip.ShapeId))
            {
                throw new MobilityInputException("trips.txt", trip.Line, "shape_id", $"shape '{trip.ShapeId}' is not in shapes.txt");
            }
        }

        var shapes = new Dictionary<string, RawShape>(StringComparer.Ordinal);
        foreach (var id in needed)
        {
            var points = raw[id];
            points.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            var distances = points.All(p => p.Distance is not null) ? points.Select(p => p.Distance!.Value).ToList() : null;
            shapes[id] = new RawShape([.. points.Select(p => p.Point)], distances);
        }

        return shapes;
    }

    private static (double[] Arrivals, double[] Departures) FillTimes(List<StopTimeRow> rows, double[] stopMetres, double offset)
    {
        var arrivals = new double[rows.Count];
        var departures = new double[rows.Count];
        var lastTimed = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Arrival is null)
            {
                continue;
            }

            arrivals[i] = rows[i].Arrival!.Value - offset;
            departures[i] = rows[i].Departure!.Value - offset;
            // Untimed stops in between: share the running time in proportion to distance, as GTFS intends.
            for (var k = lastTimed + 1; k < i; k++)
            {
                var span = stopMetres[i] - stopMetres[lastTimed];
                var f = span > 0 ? (stopMetres[k] - stopMetres[lastTimed]) / span : (double)(k - lastTimed) / (i - lastTimed);
                arrivals[k] = departures[k] = departures[lastTimed] + f * (arrivals[i] - departures[lastTimed]);
            }

            lastTimed = i;
        }

        return (arrivals, departures);
    }

    private sealed record TripRow(string RouteId, string? ShapeId, long Line);

    private sealed record StopTimeRow(int Sequence, double? Arrival, double? Departure, string StopId, double? ShapeDistance, long Line);

    private sealed record RawShape(IReadOnlyList<GeoPoint> Points, IReadOnlyList<double>? FeedDistances);
}
