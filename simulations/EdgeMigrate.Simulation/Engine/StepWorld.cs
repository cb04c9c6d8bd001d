using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>Where every device is at the current step, written by the mobility phase and read by every policy's world.</summary>
internal sealed record StepWorld(
    bool[] Active,
    PlanarPoint[] Positions,
    GeoPoint[] Geo,
    int[] Nearest,
    double[] NearestMetres,
    int[] Serving,
    double[] ServingSince,
    int K);
