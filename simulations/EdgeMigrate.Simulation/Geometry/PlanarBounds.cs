namespace EdgeMigrate.Simulation.Geometry;

/// <summary>An axis-aligned rectangle in projected metres.</summary>
public readonly record struct PlanarBounds(double MinX, double MinY, double MaxX, double MaxY)
{
    public double Width => MaxX - MinX;

    public double Height => MaxY - MinY;

    public bool Contains(PlanarPoint point, double tolerance = 0) =>
        point.X >= MinX - tolerance && point.X <= MaxX + tolerance && point.Y >= MinY - tolerance && point.Y <= MaxY + tolerance;

    public static PlanarBounds Around(IEnumerable<PlanarPoint> points)
    {
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        foreach (var p in points)
        {
            minX = Math.Min(minX, p.X);
            minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X);
            maxY = Math.Max(maxY, p.Y);
        }

        return double.IsFinite(minX) ? new PlanarBounds(minX, minY, maxX, maxY) : new PlanarBounds(0, 0, 0, 0);
    }
}
