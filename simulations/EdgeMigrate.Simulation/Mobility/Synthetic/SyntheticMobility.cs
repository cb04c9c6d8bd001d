using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Synthetic;

/// <summary>Common ground of the synthetic models: a rectangular area, one seeded generator per device, stepping state forward.</summary>
public abstract class SyntheticMobility : IMobilityModel
{
    private readonly Random[] _random;
    private readonly double[] _lastTime;
    private readonly Lock _initialising = new();

    protected SyntheticMobility(SyntheticMobilitySettings settings, int stream)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(settings));
        }

        Settings = settings;
        Stream = stream;
        Projection = new LocalProjection(settings.Origin);
        Bounds = new PlanarBounds(-settings.AreaWidthMetres / 2, -settings.AreaHeightMetres / 2, settings.AreaWidthMetres / 2, settings.AreaHeightMetres / 2);
        _random = new Random[settings.Devices];
        _lastTime = new double[settings.Devices];
    }

    public int DeviceCount => Settings.Devices;

    public LocalProjection Projection { get; }

    public PlanarBounds Bounds { get; }

    protected SyntheticMobilitySettings Settings { get; }

    private int Stream { get; }

    public string DeviceId(int device) => $"dev-{device:D5}";

    public void Reset()
    {
        for (var device = 0; device < _random.Length; device++)
        {
            _random[device] = new Random(DeterministicSeed.For(Settings.Seed, Stream, device));
            Initialise(device, _random[device]);
        }

        Array.Clear(_lastTime);
    }

    public void MoveTo(double timeSeconds, int first, int count, Span<PlanarPoint> positions, Span<bool> active)
    {
        if (Volatile.Read(ref _random[^1]) is null)
        {
            lock (_initialising)
            {
                if (_random[^1] is null)
                {
                    Reset();
                }
            }
        }

        for (var device = first; device < first + count; device++)
        {
            var dt = timeSeconds - _lastTime[device];
            if (dt < 0)
            {
                throw new InvalidOperationException($"time went backwards from {_lastTime[device]} to {timeSeconds}; call Reset first");
            }

            _lastTime[device] = timeSeconds;
            if (dt > 0)
            {
                Advance(device, dt, _random[device]);
            }

            positions[device] = PositionOf(device);
            active[device] = true;
        }
    }

    protected abstract void Initialise(int device, Random random);

    protected abstract void Advance(int device, double dt, Random random);

    protected abstract PlanarPoint PositionOf(int device);

    protected PlanarPoint RandomPointInArea(Random random) =>
        new(Bounds.MinX + random.NextDouble() * Bounds.Width, Bounds.MinY + random.NextDouble() * Bounds.Height);

    protected double RandomSpeed(Random random) =>
        Settings.MinSpeedMps + random.NextDouble() * (Settings.MaxSpeedMps - Settings.MinSpeedMps);
}
