using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Silo.Demo;

/// <summary>One simulated bus going round the demo loop.</summary>
public sealed class DemoDevice(string id, double startMetres, double speedMps)
{
    private double _travelled = startMetres;

    public string Id { get; } = id;

    public double SpeedMps { get; } = speedMps;

    public GeoPoint Position { get; private set; } = DemoRoute.PositionAt(startMetres, out _);

    public double HeadingDeg { get; private set; }

    public string? ServingSiteId { get; set; }

    public long Sequence { get; set; }

    public void Advance(double seconds)
    {
        _travelled += SpeedMps * seconds;
        Position = DemoRoute.PositionAt(_travelled, out var heading);
        HeadingDeg = heading;
    }
}
