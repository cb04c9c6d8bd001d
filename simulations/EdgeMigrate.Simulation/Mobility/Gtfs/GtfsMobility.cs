using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Gtfs;

/// <summary>Vehicles of a GTFS feed moving along their shapes on schedule; each vehicle carries one or more devices.</summary>
public sealed class GtfsMobility : IMobilityModel
{
    private readonly GtfsTripPath[] _trips;
    private readonly int _devicesPerVehicle;
    private readonly int[] _hints;

    public GtfsMobility(IReadOnlyList<GtfsTripPath> trips, int devicesPerVehicle, LocalProjection projection, double startServiceSeconds)
    {
        _trips = [.. trips];
        _devicesPerVehicle = Math.Max(1, devicesPerVehicle);
        _hints = new int[_trips.Length * _devicesPerVehicle];
        Projection = projection;
        StartServiceSeconds = startServiceSeconds;
        Bounds = PlanarBounds.Around(_trips.SelectMany(t => t.Shape.Points));
    }

    public IReadOnlyList<GtfsTripPath> Trips => _trips;

    public double StartServiceSeconds { get; }

    public int DeviceCount => _trips.Length * _devicesPerVehicle;

    public LocalProjection Projection { get; }

    public PlanarBounds Bounds { get; }

    public string DeviceId(int device) =>
        _devicesPerVehicle == 1 ? _trips[device].TripId : $"{_trips[device / _devicesPerVehicle].TripId}#{device % _devicesPerVehicle}";

    public GtfsTripPath TripOf(int device) => _trips[device / _devicesPerVehicle];

    public void Reset() => Array.Clear(_hints);

    public void MoveTo(double timeSeconds, int first, int count, Span<PlanarPoint> positions, Span<bool> active)
    {
        // A hint per device (not per trip) so devices of one vehicle may move on different threads.
        for (var device = first; device < first + count; device++)
        {
            var path = _trips[device / _devicesPerVehicle];
            var metres = path.MetresAt(timeSeconds, ref _hints[device]);
            positions[device] = metres is null ? default : path.Shape.PointAt(metres.Value);
            active[device] = metres is not null;
        }
    }
}
