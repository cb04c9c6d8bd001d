using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Simulation.Geometry;

/// <summary>
/// Equirectangular projection around an origin. Over a city (tens of km) it is within a fraction of a percent
/// of haversine, and it turns every distance in the hot loop into a square root instead of trigonometry.
/// </summary>
public sealed class LocalProjection
{
    private const double MetresPerDegreeLat = 6_371_008.8 * Math.PI / 180;
    private readonly double _metresPerDegreeLon;

    public LocalProjection(GeoPoint origin)
    {
        Origin = origin;
        _metresPerDegreeLon = MetresPerDegreeLat * Math.Cos(origin.Lat * Math.PI / 180);
    }

    public GeoPoint Origin { get; }

    public PlanarPoint ToPlanar(GeoPoint point) =>
        new((point.Lon - Origin.Lon) * _metresPerDegreeLon, (point.Lat - Origin.Lat) * MetresPerDegreeLat);

    public GeoPoint ToGeo(PlanarPoint point) =>
        new(Origin.Lat + point.Y / MetresPerDegreeLat, Origin.Lon + point.X / _metresPerDegreeLon);

    /// <summary>A projection centred on the box around <paramref name="points"/>.</summary>
    public static LocalProjection CentredOn(IReadOnlyCollection<GeoPoint> points)
    {
        if (points.Count == 0)
        {
            return new LocalProjection(new GeoPoint(0, 0));
        }

        var minLat = points.Min(p => p.Lat);
        var maxLat = points.Max(p => p.Lat);
        var minLon = points.Min(p => p.Lon);
        var maxLon = points.Max(p => p.Lon);
        return new LocalProjection(new GeoPoint((minLat + maxLat) / 2, (minLon + maxLon) / 2));
    }
}
