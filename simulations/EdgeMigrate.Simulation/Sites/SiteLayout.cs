using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Sites;

/// <summary>
/// The sites of a run with a uniform grid of buckets for nearest-site queries: a query looks at the buckets in
/// growing rings around the point and stops once no closer site can exist, so it costs a handful of distance
/// computations whatever the number of sites.
/// </summary>
public sealed class SiteLayout
{
    private readonly EdgeSite[] _sites;
    private readonly PlanarPoint[] _positions;
    private readonly int[][] _buckets;
    private readonly double _cell;
    private readonly double _minX;
    private readonly double _minY;
    private readonly int _columns;
    private readonly int _rows;

    public SiteLayout(IReadOnlyList<EdgeSite> sites)
    {
        if (sites.Count == 0)
        {
            throw new ArgumentException("at least one edge site is needed", nameof(sites));
        }

        _sites = [.. sites];
        _positions = [.. sites.Select(s => s.Position)];
        var bounds = PlanarBounds.Around(_positions);
        // About one site per bucket on average.
        var area = Math.Max(bounds.Width * bounds.Height, 1);
        _cell = Math.Max(Math.Sqrt(area / _sites.Length), 1);
        _minX = bounds.MinX;
        _minY = bounds.MinY;
        _columns = (int)(bounds.Width / _cell) + 1;
        _rows = (int)(bounds.Height / _cell) + 1;
        var lists = new List<int>[_columns * _rows];
        for (var i = 0; i < _positions.Length; i++)
        {
            var (c, r) = BucketOf(_positions[i]);
            (lists[r * _columns + c] ??= []).Add(i);
        }

        _buckets = [.. lists.Select(l => l?.ToArray() ?? [])];
    }

    public IReadOnlyList<EdgeSite> Sites => _sites;

    public int Count => _sites.Length;

    public PlanarPoint PositionOf(int site) => _positions[site];

    public double Distance(int a, int b) => _positions[a].DistanceTo(_positions[b]);

    /// <summary>The nearest site (lowest index on ties) and its distance.</summary>
    public int Nearest(PlanarPoint point, out double distance)
    {
        Span<int> one = stackalloc int[1];
        Span<double> d = stackalloc double[1];
        Nearest(point, one, d);
        distance = d[0];
        return one[0];
    }

    /// <summary>Fills <paramref name="sites"/> with the k nearest sites in order of distance (k = span length, capped at the site count); returns k.</summary>
    public int Nearest(PlanarPoint point, Span<int> sites, Span<double> distances)
    {
        var k = Math.Min(sites.Length, _sites.Length);
        var found = 0;
        var (cx, cy) = BucketOf(point);
        var maxRing = Math.Max(_columns, _rows);
        for (var ring = 0; ring <= maxRing; ring++)
        {
            // Sites in ring r lie outside the square of rings 0..r-1; once the k-th best is nearer than that square's edge, stop.
            if (found == k && distances[k - 1] <= DistanceToSquareEdge(point, cx, cy, ring))
            {
                break;
            }

            for (var r = cy - ring; r <= cy + ring; r++)
            {
                if (r < 0 || r >= _rows)
                {
                    continue;
                }

                var onEdgeRow = r == cy - ring || r == cy + ring;
                for (var c = cx - ring; c <= cx + ring; c += onEdgeRow || ring == 0 ? 1 : 2 * ring)
                {
                    if (c < 0 || c >= _columns)
                    {
                        continue;
                    }

                    foreach (var site in _buckets[r * _columns + c])
                    {
                        var distance = _positions[site].DistanceTo(point);
                        found = Insert(site, distance, sites, distances, found, k);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Adds to <paramref name="found"/> every site within <paramref name="radiusMetres"/> of <paramref name="point"/>, in index order.</summary>
    public void Within(PlanarPoint point, double radiusMetres, List<int> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var start = found.Count;
        if (double.IsPositiveInfinity(radiusMetres))
        {
            for (var site = 0; site < _positions.Length; site++)
            {
                found.Add(site);
            }

            return;
        }

        var reach = (int)Math.Ceiling(radiusMetres / _cell) + 1;
        var (cx, cy) = BucketOf(point);
        for (var r = Math.Max(0, cy - reach); r <= Math.Min(_rows - 1, cy + reach); r++)
        {
            for (var c = Math.Max(0, cx - reach); c <= Math.Min(_columns - 1, cx + reach); c++)
            {
                foreach (var site in _buckets[r * _columns + c])
                {
                    if (_positions[site].DistanceTo(point) <= radiusMetres)
                    {
                        found.Add(site);
                    }
                }
            }
        }

        found.Sort(start, found.Count - start, null);
    }

    private static int Insert(int site, double distance, Span<int> sites, Span<double> distances, int found, int k)
    {
        var position = found;
        while (position > 0 && (distances[position - 1] > distance || (distances[position - 1] == distance && sites[position - 1] > site)))
        {
            position--;
        }

        if (position >= k)
        {
            return found;
        }

        var last = Math.Min(found, k - 1);
        for (var i = last; i > position; i--)
        {
            sites[i] = sites[i - 1];
            distances[i] = distances[i - 1];
        }

        sites[position] = site;
        distances[position] = distance;
        return Math.Min(found + 1, k);
    }

    private double DistanceToSquareEdge(PlanarPoint point, int cx, int cy, int ring)
    {
        if (ring == 0)
        {
            return 0;
        }

        var left = point.X - (_minX + (cx - ring + 1) * _cell);
        var right = _minX + (cx + ring) * _cell - point.X;
        var bottom = point.Y - (_minY + (cy - ring + 1) * _cell);
        var top = _minY + (cy + ring) * _cell - point.Y;
        // A point outside the grid was clamped into an edge bucket: fall back to the always-valid bound.
        return Math.Max((ring - 1) * _cell, Math.Min(Math.Min(left, right), Math.Min(bottom, top)));
    }

    private (int Column, int Row) BucketOf(PlanarPoint point) =>
        (Math.Clamp((int)((point.X - _minX) / _cell), 0, _columns - 1), Math.Clamp((int)((point.Y - _minY) / _cell), 0, _rows - 1));
}
