using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Network;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>
/// The oracle's crystal ball: a first pass over the mobility records each device's serving site and distance to
/// it at every step (8 bytes per device-step; positions are not needed, since latency to any host follows
/// from those two). Only built when the oracle runs.
/// </summary>
public sealed class RecordedFuture : IFutureLookup
{
    private readonly int _stepsPlusOne;
    private readonly int[] _serving;
    private readonly float[] _accessMetres;
    private readonly SiteLayout _sites;
    private readonly LatencyModel _latency;

    public RecordedFuture(IMobilityModel mobility, SiteLayout sites, LatencyModel latency, double stepSeconds, int steps)
    {
        ArgumentNullException.ThrowIfNull(mobility);
        _sites = sites;
        _latency = latency;
        StepSeconds = stepSeconds;
        EndSeconds = steps * stepSeconds;
        _stepsPlusOne = steps + 1;
        var devices = mobility.DeviceCount;
        _serving = new int[(long)devices * _stepsPlusOne];
        _accessMetres = new float[_serving.Length];
        var positions = new PlanarPoint[devices];
        var active = new bool[devices];
        mobility.Reset();
        for (var step = 0; step <= steps; step++)
        {
            mobility.MoveTo(step * stepSeconds, positions, active);
            for (var device = 0; device < devices; device++)
            {
                var slot = (long)device * _stepsPlusOne + step;
                if (!active[device])
                {
                    _serving[slot] = -1;
                    continue;
                }

                _serving[slot] = sites.Nearest(positions[device], out var distance);
                _accessMetres[slot] = (float)distance;
            }
        }

        mobility.Reset();
    }

    public double StepSeconds { get; }

    public double EndSeconds { get; }

    public int ServingSiteAt(int device, double timeSeconds) => _serving[Slot(device, timeSeconds)];

    public double LatencyMsAt(int device, double timeSeconds, int hostingSite)
    {
        var slot = Slot(device, timeSeconds);
        var serving = _serving[slot];
        if (serving < 0)
        {
            return double.NaN;
        }

        return _latency.AccessMs(_accessMetres[slot]) + _latency.BackhaulMs(_sites.Distance(serving, hostingSite), serving == hostingSite);
    }

    private long Slot(int device, double timeSeconds)
    {
        var step = Math.Clamp((int)Math.Round(timeSeconds / StepSeconds), 0, _stepsPlusOne - 1);
        return (long)device * _stepsPlusOne + step;
    }
}
