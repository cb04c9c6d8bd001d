namespace EdgeMigrate.Simulation.Geometry;

/// <summary>A position in metres east (X) and north (Y) of a <see cref="LocalProjection"/>'s origin.</summary>
public readonly record struct PlanarPoint(double X, double Y)
{
    public double DistanceTo(PlanarPoint other)
    {
        var dx = X - other.X;
        var dy = Y - other.Y;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
