using EdgeMigrate.Simulation.Mobility;

namespace EdgeMigrate.Simulation.Sites;

/// <summary>
/// Reads per-site-pair links from CSV: <c>from,to</c> (site ids of the layout) and optional <c>mbps</c> (effective
/// migration bandwidth from → to) and <c>rttMs</c> (backhaul round trip, both directions unless the reverse row says
/// otherwise). Rows name sites of the layout; anything else is an error naming file, line and field.
/// </summary>
public static class SiteLinksCsvLoader
{
    public static IReadOnlyList<SiteLink> Load(string path, SiteLayout sites)
    {
        ArgumentNullException.ThrowIfNull(sites);
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new MobilityInputException(path, null, null, "no such links file");
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sites.Count; i++)
        {
            index[sites.Sites[i].Id] = i;
        }

        using var table = new CsvTable(new StreamReader(path), fileName);
        var fromColumn = table.Column("from");
        var toColumn = table.Column("to");
        var mbpsColumn = table.OptionalColumn("mbps");
        var rttColumn = table.OptionalColumn("rttMs");
        var links = new List<SiteLink>();
        var seen = new HashSet<(int, int)>();
        while (table.Read())
        {
            var from = Site(table, index, fromColumn, "from");
            var to = Site(table, index, toColumn, "to");
            if (from == to)
            {
                throw table.Error("to", "a link joins two different sites");
            }

            if (!seen.Add((from, to)))
            {
                throw table.Error("to", $"the link {sites.Sites[from].Id} → {sites.Sites[to].Id} appears twice");
            }

            var mbps = mbpsColumn < 0 ? null : table.OptionalDouble(mbpsColumn, "mbps");
            var rtt = rttColumn < 0 ? null : table.OptionalDouble(rttColumn, "rttMs");
            if (mbps is { } m && !(m > 0 && double.IsFinite(m)))
            {
                throw table.Error("mbps", "must be > 0");
            }

            if (rtt is { } r && !(r >= 0 && double.IsFinite(r)))
            {
                throw table.Error("rttMs", "must be >= 0");
            }

            links.Add(new SiteLink(from, to, mbps * 1e6 / 8, rtt));
        }

        return links;
    }

    private static int Site(CsvTable table, Dictionary<string, int> index, int column, string field)
    {
        var id = table.Text(column, field);
        return index.TryGetValue(id, out var site) ? site : throw table.Error(field, $"'{id}' is not a site of this layout");
    }
}
