using System.Globalization;
using EdgeMigrate.Models;
using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Sites;

/// <summary>
/// Sites on a hexagonal lattice (the layout of cellular planning: every site has six neighbours at the same
/// distance) covering a bounding box with a margin of one spacing.
/// </summary>
public static class HexGridSites
{
    public static IReadOnlyList<EdgeSite> Create(PlanarBounds bounds, double spacingMetres, LocalProjection projection, int capacity = int.MaxValue, CpuArchitecture architecture = CpuArchitecture.X64)
    {
        ArgumentNullException.ThrowIfNull(projection);
        if (!(spacingMetres > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(spacingMetres), spacingMetres, "hex spacing must be > 0 metres");
        }

        var rowHeight = spacingMetres * Math.Sqrt(3) / 2;
        var minX = bounds.MinX - spacingMetres;
        var minY = bounds.MinY - spacingMetres;
        var rows = (int)Math.Ceiling((bounds.Height + 2 * spacingMetres) / rowHeight) + 1;
        var columns = (int)Math.Ceiling((bounds.Width + 2 * spacingMetres) / spacingMetres) + 1;
        if ((long)rows * columns > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(spacingMetres), spacingMetres, $"hex spacing {spacingMetres} m over this area gives {(long)rows * columns} sites; use a larger spacing");
        }

        var sites = new List<EdgeSite>(rows * columns);
        for (var r = 0; r < rows; r++)
        {
            var offset = r % 2 == 0 ? 0 : spacingMetres / 2;
            for (var c = 0; c < columns; c++)
            {
                var position = new PlanarPoint(minX + offset + c * spacingMetres, minY + r * rowHeight);
                var id = string.Create(CultureInfo.InvariantCulture, $"hex-{r}-{c}");
                sites.Add(new EdgeSite(id, projection.ToGeo(position), position, capacity, architecture));
            }
        }

        return sites;
    }
}
