using System.Text;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>
/// Which routes of a feed to simulate: <c>half:0</c> / <c>half:1</c> split the routes in two by a stable hash of
/// route_id (train on one half, evaluate on the other), or a comma-separated list of route ids.
/// </summary>
public static class RouteSelection
{
    public static Func<string, bool>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "all")
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith("half:", StringComparison.Ordinal))
        {
            return trimmed[5..] switch
            {
                "0" => route => Half(route) == 0,
                "1" => route => Half(route) == 1,
                _ => throw new FormatException($"routes '{text}': use half:0 or half:1"),
            };
        }

        var routes = trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return routes.Count > 0 ? routes.Contains : throw new FormatException($"routes '{text}': expected half:0, half:1 or route ids separated by commas");
    }

    /// <summary>FNV-1a of the route id, low bit: stable across runs and platforms.</summary>
    public static int Half(string routeId)
    {
        ArgumentNullException.ThrowIfNull(routeId);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(routeId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 1);
    }
}
