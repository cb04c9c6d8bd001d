using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Silo.Demo;

/// <summary>
/// A bus loop on Staten Island (St. George – Stapleton – Port Richmond) and three edge sites along it,
/// enough to show devices changing their best site until the GTFS-driven demo lands.
/// </summary>
public static class DemoRoute
{
    public static IReadOnlyList<GeoPoint> Waypoints { get; } =
    [
        new(40.6437, -74.0736), new(40.6266, -74.0776), new(40.6150, -74.0850),
        new(40.6215, -74.1130), new(40.6358, -74.1320), new(40.6420, -74.1000),
    ];

    public static IReadOnlyList<(string SiteId, GeoPoint Position)> Sites { get; } =
    [
        ("site-st-george", new(40.6420, -74.0770)),
        ("site-stapleton", new(40.6180, -74.0900)),
        ("site-port-richmond", new(40.6360, -74.1250)),
    ];

    /// <summary>Position after travelling <paramref name="metres"/> around the closed loop.</summary>
    public static GeoPoint PositionAt(double metres, out double headingDeg)
    {
        var length = LoopLength;
        var d = ((metres % length) + length) % length;
        for (var i = 0; ; i = (i + 1) % Waypoints.Count)
        {
            var from = Waypoints[i];
            var to = Waypoints[(i + 1) % Waypoints.Count];
            var leg = from.DistanceMetresTo(to);
            if (d <= leg)
            {
                headingDeg = from.BearingDegreesTo(to);
                return from.Offset(d, headingDeg);
            }

            d -= leg;
        }
    }

    public static double LoopLength { get; } = Enumerable.Range(0, Waypoints.Count).Sum(i => Waypoints[i].DistanceMetresTo(Waypoints[(i + 1) % Waypoints.Count]));
}
