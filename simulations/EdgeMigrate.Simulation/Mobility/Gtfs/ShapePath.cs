using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>A route shape as a projected polyline with cumulative length, for "where is the point d metres along".</summary>
public sealed class ShapePath
{
    private readonly PlanarPoint[] _points;
    private readonly double[] _cumulative;

    /// <param name="id">The shape_id.</param>
    /// <param name="points">Vertices in order.</param>
    /// <param name="feedDistances">shape_dist_traveled per vertex in the feed's own unit, when the feed gives it.</param>
    public ShapePath(string id, IReadOnlyList<PlanarPoint> points, IReadOnlyList<double>? feedDistances)
    {
        Id = id;
        _points = [.. points];
        _cumulative = new double[_points.Length];
        for (var i = 1; i < _points.Length; i++)
        {
            _cumulative[i] = _cumulative[i - 1] + _points[i - 1].DistanceTo(_points[i]);
        }

        FeedDistances = feedDistances is null ? null : [.. feedDistances];
    }

    public string Id { get; }

    public double LengthMetres => _cumulative.Length == 0 ? 0 : _cumulative[^1];

    public IReadOnlyList<PlanarPoint> Points => _points;

    public IReadOnlyList<double>? FeedDistances { get; }

    public PlanarPoint PointAt(double metres)
    {
        if (_points.Length == 1 || metres <= 0)
        {
            return _points[0];
        }

        if (metres >= LengthMetres)
        {
            return _points[^1];
        }

        var index = Array.BinarySearch(_cumulative, metres);
        if (index >= 0)
        {
            return _points[index];
        }

        var upper = ~index;
        var lower = upper - 1;
        var span = _cumulative[upper] - _cumulative[lower];
        var f = span > 0 ? (metres - _cumulative[lower]) / span : 0;
        var a = _points[lower];
        var b = _points[upper];
        return new PlanarPoint(a.X + (b.X - a.X) * f, a.Y + (b.Y - a.Y) * f);
    }

    /// <summary>Converts the feed's shape_dist_traveled into metres along this polyline by interpolating between vertices.</summary>
    public double MetresAtFeedDistance(double feedDistance)
    {
        var feed = FeedDistances ?? throw new InvalidOperationException($"shape {Id} has no shape_dist_traveled");
        if (feedDistance <= feed[0])
        {
            return 0;
        }

        for (var i = 1; i < feed.Count; i++)
        {
            if (feedDistance <= feed[i])
            {
                var span = feed[i] - feed[i - 1];
                var f = span > 0 ? (feedDistance - feed[i - 1]) / span : 0;
                return _cumulative[i - 1] + f * (_cumulative[i] - _cumulative[i - 1]);
            }
        }

        return LengthMetres;
    }

    /// <summary>Distance from <paramref name="point"/> to the polyline, metres.</summary>
    public double DistanceTo(PlanarPoint point)
    {
        var best = double.PositiveInfinity;
        for (var i = 0; i + 1 < _points.Length; i++)
        {
            best = Math.Min(best, ProjectOnSegment(i, point).Distance);
        }

        return _points.Length == 1 ? _points[0].DistanceTo(point) : best;
    }

    /// <summary>
    /// Places stops along the shape: each stop on the segment nearest to it, subject to stops never moving
    /// backwards. Solved exactly by dynamic programming over (stop, segment) so loops and out-and-back
    /// shapes, where a stop is near the path twice, get the pass that fits the sequence.
    /// </summary>
    public double[] ProjectStops(IReadOnlyList<PlanarPoint> stops)
    {
        var segments = Math.Max(1, _points.Length - 1);
        if (_points.Length < 2)
        {
            return new double[stops.Count];
        }

        var cost = new double[stops.Count, segments];
        var along = new double[stops.Count, segments];
        for (var s = 0; s < stops.Count; s++)
        {
            for (var j = 0; j < segments; j++)
            {
                var (distance, offset) = ProjectOnSegment(j, stops[s]);
                cost[s, j] = distance;
                along[s, j] = _cumulative[j] + offset;
            }
        }

        var total = new double[stops.Count, segments];
        var from = new int[stops.Count, segments];
        for (var j = 0; j < segments; j++)
        {
            total[0, j] = cost[0, j];
        }

        for (var s = 1; s < stops.Count; s++)
        {
            var bestPrevious = double.PositiveInfinity;
            var bestIndex = 0;
            for (var j = 0; j < segments; j++)
            {
                if (total[s - 1, j] < bestPrevious)
                {
                    bestPrevious = total[s - 1, j];
                    bestIndex = j;
                }

                total[s, j] = cost[s, j] + bestPrevious;
                from[s, j] = bestIndex;
            }
        }

        var result = new double[stops.Count];
        var segment = 0;
        var bestTotal = double.PositiveInfinity;
        for (var j = 0; j < segments; j++)
        {
            if (total[stops.Count - 1, j] < bestTotal)
            {
                bestTotal = total[stops.Count - 1, j];
                segment = j;
            }
        }

        for (var s = stops.Count - 1; s >= 0; s--)
        {
            result[s] = along[s, segment];
            segment = from[s, segment];
        }

        // Two stops on one segment may project in reverse order; vehicles never drive backwards.
        for (var s = 1; s < result.Length; s++)
        {
            result[s] = Math.Max(result[s], result[s - 1]);
        }

        return result;
    }

    private (double Distance, double Offset) ProjectOnSegment(int segment, PlanarPoint point)
    {
        var a = _points[segment];
        var b = _points[segment + 1];
        var dx = b.X - a.X;
        var dy = b.Y - a.Y;
        var lengthSquared = dx * dx + dy * dy;
        var f = lengthSquared > 0 ? Math.Clamp(((point.X - a.X) * dx + (point.Y - a.Y) * dy) / lengthSquared, 0, 1) : 0;
        var projected = new PlanarPoint(a.X + dx * f, a.Y + dy * f);
        return (projected.DistanceTo(point), f * Math.Sqrt(lengthSquared));
    }
}
