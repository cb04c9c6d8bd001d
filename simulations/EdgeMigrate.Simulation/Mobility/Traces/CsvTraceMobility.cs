using System.Globalization;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Traces;

/// <summary>
/// Recorded positions from a CSV file with columns <c>time,device,lat,lon</c>. Time is either seconds (any origin)
/// or an ISO-8601 timestamp; simulation time 0 is the earliest sample. Devices move linearly between their
/// samples and are active from their first to their last one.
/// </summary>
public sealed class CsvTraceMobility : IMobilityModel
{
    private readonly string[] _ids;
    private readonly double[][] _times;
    private readonly PlanarPoint[][] _points;
    private readonly int[] _hints;

    private CsvTraceMobility(string[] ids, double[][] times, PlanarPoint[][] points, LocalProjection projection)
    {
        _ids = ids;
        _times = times;
        _points = points;
        _hints = new int[ids.Length];
        Projection = projection;
        Bounds = PlanarBounds.Around(points.SelectMany(p => p));
        EndSeconds = times.Length == 0 ? 0 : times.Max(t => t[^1]);
    }

    public int DeviceCount => _ids.Length;

    public LocalProjection Projection { get; }

    public PlanarBounds Bounds { get; }

    /// <summary>Time of the last sample of any device.</summary>
    public double EndSeconds { get; }

    public string DeviceId(int device) => _ids[device];

    public static CsvTraceMobility Load(string path)
    {
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new MobilityInputException(path, null, null, "no such trace file");
        }

        using var table = new CsvTable(new StreamReader(path), fileName);
        var timeColumn = table.Column("time");
        var deviceColumn = table.Column("device");
        var latColumn = table.Column("lat");
        var lonColumn = table.Column("lon");
        var samples = new List<(string Device, double Time, GeoPoint Point)>();
        bool? numeric = null;
        while (table.Read())
        {
            var timeText = table.Text(timeColumn, "time");
            double time;
            if (double.TryParse(timeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && numeric != false)
            {
                numeric = true;
                time = seconds;
            }
            else if (numeric != true && DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                numeric = false;
                time = at.ToUnixTimeMilliseconds() / 1000.0;
            }
            else
            {
                var expected = numeric == false ? "an ISO-8601 timestamp like the earlier rows" : numeric == true ? "seconds like the earlier rows" : "seconds or an ISO-8601 timestamp";
                throw table.Error("time", $"'{timeText}' is not {expected}");
            }

            var point = new GeoPoint(table.Double(latColumn, "lat"), table.Double(lonColumn, "lon"));
            if (!point.IsValid)
            {
                throw table.Error(point.Lat is >= -90 and <= 90 ? "lon" : "lat", $"({point.Lat}, {point.Lon}) is not a valid position");
            }

            samples.Add((table.Text(deviceColumn, "device"), time, point));
        }

        if (samples.Count == 0)
        {
            throw new MobilityInputException(fileName, null, null, "no samples");
        }

        var origin = samples.Min(s => s.Time);
        var projection = LocalProjection.CentredOn([.. samples.Select(s => s.Point)]);
        var byDevice = samples
            .GroupBy(s => s.Device, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => s.Time).ToArray())
            .ToArray();
        return new CsvTraceMobility(
            [.. byDevice.Select(g => g[0].Device)],
            [.. byDevice.Select(g => g.Select(s => s.Time - origin).ToArray())],
            [.. byDevice.Select(g => g.Select(s => projection.ToPlanar(s.Point)).ToArray())],
            projection);
    }

    public void Reset() => Array.Clear(_hints);

    public void MoveTo(double timeSeconds, int first, int count, Span<PlanarPoint> positions, Span<bool> active)
    {
        for (var device = first; device < first + count; device++)
        {
            var times = _times[device];
            var points = _points[device];
            if (timeSeconds < times[0] || timeSeconds > times[^1])
            {
                active[device] = false;
                continue;
            }

            ref var i = ref _hints[device];
            if (times[i] > timeSeconds)
            {
                i = 0;
            }

            while (i + 1 < times.Length && times[i + 1] <= timeSeconds)
            {
                i++;
            }

            active[device] = true;
            if (i + 1 >= times.Length)
            {
                positions[device] = points[i];
                continue;
            }

            var span = times[i + 1] - times[i];
            var f = span > 0 ? (timeSeconds - times[i]) / span : 0;
            positions[device] = new PlanarPoint(points[i].X + (points[i + 1].X - points[i].X) * f, points[i].Y + (points[i + 1].Y - points[i].Y) * f);
        }
    }
}
