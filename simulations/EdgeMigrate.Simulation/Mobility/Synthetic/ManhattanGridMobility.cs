using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Synthetic;

/// <summary>
/// Manhattan grid: devices drive along a lattice of streets <c>BlockMetres</c> apart; at each intersection they
/// go straight with probability 1/2 or turn left or right with 1/4 each (never off the grid), and draw a new speed.
/// </summary>
public sealed class ManhattanGridMobility(SyntheticMobilitySettings settings) : SyntheticMobility(settings, stream: 3)
{
    private static readonly (int Dx, int Dy)[] Directions = [(1, 0), (0, 1), (-1, 0), (0, -1)];
    private readonly int[] _column = new int[settings.Devices];
    private readonly int[] _row = new int[settings.Devices];
    private readonly int[] _direction = new int[settings.Devices];
    private readonly double[] _progress = new double[settings.Devices];
    private readonly double[] _speed = new double[settings.Devices];

    private int Columns => (int)Math.Floor(Bounds.Width / Settings.BlockMetres);

    private int Rows => (int)Math.Floor(Bounds.Height / Settings.BlockMetres);

    protected override void Initialise(int device, Random random)
    {
        _column[device] = random.Next(Columns + 1);
        _row[device] = random.Next(Rows + 1);
        _progress[device] = 0;
        _speed[device] = RandomSpeed(random);
        _direction[device] = ChooseDirection(device, random.Next(4), random);
    }

    protected override void Advance(int device, double dt, Random random)
    {
        var travel = _speed[device] * dt;
        for (var guard = 0; travel > 1e-9 && guard < 256; guard++)
        {
            var toCorner = Settings.BlockMetres - _progress[device];
            if (travel < toCorner)
            {
                _progress[device] += travel;
                return;
            }

            travel -= toCorner;
            var (dx, dy) = Directions[_direction[device]];
            _column[device] += dx;
            _row[device] += dy;
            _progress[device] = 0;
            _speed[device] = RandomSpeed(random);
            _direction[device] = ChooseDirection(device, _direction[device], random);
        }
    }

    protected override PlanarPoint PositionOf(int device)
    {
        var (dx, dy) = Directions[_direction[device]];
        var x = Bounds.MinX + _column[device] * Settings.BlockMetres + dx * _progress[device];
        var y = Bounds.MinY + _row[device] * Settings.BlockMetres + dy * _progress[device];
        return new PlanarPoint(x, y);
    }

    private int ChooseDirection(int device, int heading, Random random)
    {
        var draw = random.NextDouble();
        int[] preference = draw < 0.5
            ? [heading, (heading + 1) % 4, (heading + 3) % 4, (heading + 2) % 4]
            : draw < 0.75
                ? [(heading + 1) % 4, heading, (heading + 3) % 4, (heading + 2) % 4]
                : [(heading + 3) % 4, heading, (heading + 1) % 4, (heading + 2) % 4];
        foreach (var candidate in preference)
        {
            var (dx, dy) = Directions[candidate];
            var column = _column[device] + dx;
            var row = _row[device] + dy;
            if (column >= 0 && column <= Columns && row >= 0 && row <= Rows)
            {
                return candidate;
            }
        }

        return heading;
    }
}
