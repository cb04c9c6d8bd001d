namespace EdgeMigrate.Models.Geo;

/// <summary>A WGS-84 position in degrees.</summary>
public readonly record struct GeoPoint(double Lat, double Lon)
{
    private const double EarthRadiusMetres = 6_371_008.8;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsValid => double.IsFinite(Lat) && double.IsFinite(Lon) && Lat is >= -90 and <= 90 && Lon is >= -180 and <= 180;

    /// <summary>Great-circle (haversine) distance in metres.</summary>
    public double DistanceMetresTo(GeoPoint other)
    {
        var lat1 = DegreesToRadians(Lat);
        var lat2 = DegreesToRadians(other.Lat);
        var dLat = lat2 - lat1;
        var dLon = DegreesToRadians(other.Lon - Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>Initial bearing towards <paramref name="other"/>, degrees clockwise from north in [0, 360).</summary>
    public double BearingDegreesTo(GeoPoint other)
    {
        var lat1 = DegreesToRadians(Lat);
        var lat2 = DegreesToRadians(other.Lat);
        var dLon = DegreesToRadians(other.Lon - Lon);
        var y = Math.Sin(dLon) * Math.Cos(lat2);
        var x = Math.Cos(lat1) * Math.Sin(lat2) - Math.Sin(lat1) * Math.Cos(lat2) * Math.Cos(dLon);
        var bearing = Math.Atan2(y, x) * 180 / Math.PI;
        return (bearing + 360) % 360;
    }

    /// <summary>The point reached by moving <paramref name="metres"/> along <paramref name="bearingDeg"/>.</summary>
    public GeoPoint Offset(double metres, double bearingDeg)
    {
        var delta = metres / EarthRadiusMetres;
        var theta = DegreesToRadians(bearingDeg);
        var lat1 = DegreesToRadians(Lat);
        var lon1 = DegreesToRadians(Lon);
        var lat2 = Math.Asin(Math.Sin(lat1) * Math.Cos(delta) + Math.Cos(lat1) * Math.Sin(delta) * Math.Cos(theta));
        var lon2 = lon1 + Math.Atan2(Math.Sin(theta) * Math.Sin(delta) * Math.Cos(lat1), Math.Cos(delta) - Math.Sin(lat1) * Math.Sin(lat2));
        return new GeoPoint(lat2 * 180 / Math.PI, ((lon2 * 180 / Math.PI) + 540) % 360 - 180);
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
