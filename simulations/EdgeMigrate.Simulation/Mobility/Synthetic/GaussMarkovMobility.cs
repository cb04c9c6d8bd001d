using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Mobility.Synthetic;

/// <summary>
/// Gauss-Markov (Liang and Haas): speed and heading follow first-order autoregressive processes around their
/// means, giving smooth, correlated motion. Devices bounce off the area's edges (heading mirrored), and the
/// mean heading is mirrored too so they do not keep pressing into the wall.
/// </summary>
public sealed class GaussMarkovMobility(SyntheticMobilitySettings settings) : SyntheticMobility(settings, stream: 2)
{
    private const double HeadingSigmaRadians = 0.6;
    private readonly PlanarPoint[] _position = new PlanarPoint[settings.Devices];
    private readonly double[] _speed = new double[settings.Devices];
    private readonly double[] _heading = new double[settings.Devices];
    private readonly double[] _meanHeading = new double[settings.Devices];

    private double MeanSpeed => (Settings.MinSpeedMps + Settings.MaxSpeedMps) / 2;

    private double SpeedSigma => (Settings.MaxSpeedMps - Settings.MinSpeedMps) / 4;

    protected override void Initialise(int device, Random random)
    {
        _position[device] = RandomPointInArea(random);
        _speed[device] = RandomSpeed(random);
        _heading[device] = random.NextDouble() * 2 * Math.PI;
        _meanHeading[device] = _heading[device];
    }

    protected override void Advance(int device, double dt, Random random)
    {
        // The process is defined per second; alpha^dt keeps the memory per unit time whatever the resolution.
        var alpha = Math.Pow(Settings.GaussMarkovAlpha, dt);
        var noise = Math.Sqrt(1 - alpha * alpha);
        var speed = alpha * _speed[device] + (1 - alpha) * MeanSpeed + noise * SpeedSigma * DeterministicSeed.NextGaussian(random);
        _speed[device] = Math.Clamp(speed, Settings.MinSpeedMps, Settings.MaxSpeedMps);
        _heading[device] = alpha * _heading[device] + (1 - alpha) * _meanHeading[device] + noise * HeadingSigmaRadians * DeterministicSeed.NextGaussian(random);

        var step = _speed[device] * dt;
        var x = _position[device].X + step * Math.Sin(_heading[device]);
        var y = _position[device].Y + step * Math.Cos(_heading[device]);
        var bounds = Bounds;
        if (x < bounds.MinX || x > bounds.MaxX)
        {
            x = x < bounds.MinX ? 2 * bounds.MinX - x : 2 * bounds.MaxX - x;
            _heading[device] = -_heading[device];
            _meanHeading[device] = -_meanHeading[device];
        }

        if (y < bounds.MinY || y > bounds.MaxY)
        {
            y = y < bounds.MinY ? 2 * bounds.MinY - y : 2 * bounds.MaxY - y;
            _heading[device] = Math.PI - _heading[device];
            _meanHeading[device] = Math.PI - _meanHeading[device];
        }

        // A step longer than the area is not physical; clamping keeps the invariant anyway.
        _position[device] = new PlanarPoint(Math.Clamp(x, bounds.MinX, bounds.MaxX), Math.Clamp(y, bounds.MinY, bounds.MaxY));
    }

    protected override PlanarPoint PositionOf(int device) => _position[device];
}
