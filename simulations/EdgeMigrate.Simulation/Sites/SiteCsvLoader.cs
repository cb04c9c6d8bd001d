using EdgeMigrate.Models;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;

namespace EdgeMigrate.Simulation.Sites;

/// <summary>Reads sites from CSV: <c>id,lat,lon</c> and optional <c>capacity</c> (services; empty = unlimited) and <c>arch</c> (x64 or arm64).</summary>
public static class SiteCsvLoader
{
    public static IReadOnlyList<EdgeSite> Load(string path, LocalProjection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new MobilityInputException(path, null, null, "no such sites file");
        }

        using var table = new CsvTable(new StreamReader(path), fileName);
        var idColumn = table.Column("id");
        var latColumn = table.Column("lat");
        var lonColumn = table.Column("lon");
        var capacityColumn = table.OptionalColumn("capacity");
        var archColumn = table.OptionalColumn("arch");
        var sites = new List<EdgeSite>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (table.Read())
        {
            var id = table.Text(idColumn, "id");
            if (!ids.Add(id))
            {
                throw table.Error("id", $"site '{id}' appears twice");
            }

            var location = new GeoPoint(table.Double(latColumn, "lat"), table.Double(lonColumn, "lon"));
            if (!location.IsValid)
            {
                throw table.Error("lat", $"({location.Lat}, {location.Lon}) is not a valid position");
            }

            var capacity = table.OptionalText(capacityColumn) is null ? int.MaxValue : table.Integer(capacityColumn, "capacity");
            if (capacity < 0)
            {
                throw table.Error("capacity", "must be >= 0");
            }

            var arch = table.OptionalText(archColumn) switch
            {
                null or "x64" or "amd64" or "x86_64" => CpuArchitecture.X64,
                "arm64" or "aarch64" => CpuArchitecture.Arm64,
                var other => throw table.Error("arch", $"'{other}' is not an architecture (x64 or arm64)"),
            };
            sites.Add(new EdgeSite(id, location, projection.ToPlanar(location), capacity, arch));
        }

        return sites.Count > 0 ? sites : throw new MobilityInputException(fileName, null, null, "no sites");
    }
}
