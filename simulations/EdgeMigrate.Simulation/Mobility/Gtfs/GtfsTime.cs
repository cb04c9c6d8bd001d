using System.Globalization;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>GTFS service-day times: H:MM:SS, hours may pass 24 for trips running after midnight.</summary>
public static class GtfsTime
{
    public static bool TryParse(string text, out double seconds)
    {
        seconds = 0;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }

        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m > 59)
        {
            return false;
        }

        var s = 0;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out s) || s > 59))
        {
            return false;
        }

        seconds = h * 3600 + m * 60 + s;
        return h < 100;
    }

    /// <summary>Parses a time given by a user, e.g. <c>07:30</c> or <c>07:30:15</c>.</summary>
    public static double Parse(string text) =>
        TryParse(text, out var seconds) ? seconds : throw new FormatException($"'{text}' is not a service-day time (HH:MM or HH:MM:SS)");

    public static string Format(double seconds)
    {
        var total = (int)Math.Round(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{total / 3600:D2}:{total / 60 % 60:D2}:{total % 60:D2}");
    }
}
