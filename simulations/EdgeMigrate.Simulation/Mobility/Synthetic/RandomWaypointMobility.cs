using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Synthetic;

/// <summary>
/// Random waypoint: walk straight to a uniformly drawn point at a uniformly drawn speed, pause, repeat.
/// The minimum speed is kept above zero to avoid the model's well-known speed decay.
/// </summary>
public sealed class RandomWaypointMobility(SyntheticMobilitySettings settings) : SyntheticMobility(settings, stream: 1)
{
    private readonly PlanarPoint[] _position = new PlanarPoint[settings.Devices];
    private readonly PlanarPoint[] _waypoint = new PlanarPoint[settings.Devices];
    private readonly double[] _speed = new double[settings.Devices];
    private readonly double[] _pauseLeft = new double[settings.Devices];

    protected override void Initialise(int device, Random random)
    {
        _position[device] = RandomPointInArea(random);
        _waypoint[device] = RandomPointInArea(random);
        _speed[device] = RandomSpeed(random);
        _pauseLeft[device] = 0;
    }

    protected override void Advance(int device, double dt, Random random)
    {
        var left = dt;
        // Several legs may fit in one step at coarse resolutions; bounded so a zero-length leg cannot spin.
        for (var guard = 0; left > 1e-9 && guard < 64; guard++)
        {
            if (_pauseLeft[device] > 0)
            {
                var pause = Math.Min(_pauseLeft[device], left);
                _pauseLeft[device] -= pause;
                left -= pause;
                continue;
            }

            var here = _position[device];
            var there = _waypoint[device];
            var distance = here.DistanceTo(there);
            var reach = _speed[device] * left;
            if (reach < distance)
            {
                var f = reach / distance;
                _position[device] = new PlanarPoint(here.X + (there.X - here.X) * f, here.Y + (there.Y - here.Y) * f);
                return;
            }

            _position[device] = there;
            left -= distance / _speed[device];
            _waypoint[device] = RandomPointInArea(random);
            _speed[device] = RandomSpeed(random);
            _pauseLeft[device] = random.NextDouble() * Settings.MaxPauseSeconds;
        }
    }

    protected override PlanarPoint PositionOf(int device) => _position[device];
}
