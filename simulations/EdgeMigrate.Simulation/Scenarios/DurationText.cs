using System.Globalization;

namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Durations as people write them: <c>600</c>, <c>90s</c>, <c>10m</c>, <c>1.5h</c>, <c>00:10:00</c>.</summary>
public static class DurationText
{
    public static double ParseSeconds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span))
        {
            return span.TotalSeconds;
        }

        var (number, factor) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') => (trimmed[..^1], 3600.0),
            _ => (trimmed, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value * factor
            : throw new FormatException($"'{text}' is not a duration (e.g. 600, 90s, 10m, 1h, 00:10:00)");
    }
}
