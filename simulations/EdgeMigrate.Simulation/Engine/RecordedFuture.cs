using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Network;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>
/// The crystal ball of the simulation-only policies: a first pass over the mobility records each device's serving site
/// and distance to it at every step (12 bytes per device-step; positions are not needed, since latency to any host
/// follows from those two). The distance is kept as a double so latencies computed from it are bit-identical to the
/// engine's, which the offline optimum's exactness relies on. Built on several threads, one range of devices each.
/// </summary>
public sealed class RecordedFuture : IFutureLookup
{
    private readonly int _stepsPlusOne;
    private readonly int[] _serving;
    private readonly double[] _accessMetres;
    private readonly SiteNetwork _network;

    public RecordedFuture(IMobilityModel mobility, SiteNetwork network, double stepSeconds, int steps, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(mobility);
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        StepSeconds = stepSeconds;
        Steps = steps;
        EndSeconds = steps * stepSeconds;
        _stepsPlusOne = steps + 1;
        var devices = mobility.DeviceCount;
        DeviceCount = devices;
        _serving = new int[(long)devices * _stepsPlusOne];
        _accessMetres = new double[_serving.Length];
        var positions = new PlanarPoint[devices];
        var active = new bool[devices];
        var sites = network.Sites;
        mobility.Reset();
        DeviceRanges.Run(devices, parallelism, (first, count) =>
        {
            for (var step = 0; step <= steps; step++)
            {
                mobility.MoveTo(step * stepSeconds, first, count, positions, active);
                for (var device = first; device < first + count; device++)
                {
                    var slot = (long)device * _stepsPlusOne + step;
                    if (!active[device])
                    {
                        _serving[slot] = -1;
                        continue;
                    }

                    _serving[slot] = sites.Nearest(positions[device], out var distance);
                    _accessMetres[slot] = distance;
                }
            }
        });
        mobility.Reset();
    }

    public double StepSeconds { get; }

    public double EndSeconds { get; }

    /// <summary>Accounting steps of the run (the record holds one more, at the end time).</summary>
    public int Steps { get; }

    public int DeviceCount { get; }

    public SiteNetwork Network => _network;

    /// <summary>Bytes held: what the record costs in memory.</summary>
    public long Bytes => _serving.LongLength * (sizeof(int) + sizeof(double));

    public int ServingSiteAt(int device, double timeSeconds) => _serving[Slot(device, timeSeconds)];

    public double LatencyMsAt(int device, double timeSeconds, int hostingSite)
    {
        var slot = Slot(device, timeSeconds);
        var serving = _serving[slot];
        return serving < 0 ? double.NaN : _network.LatencyMs(_accessMetres[slot], serving, hostingSite);
    }

    /// <summary>Serving site at a step index (-1: inactive).</summary>
    public int ServingSiteAtStep(int device, int step) => _serving[(long)device * _stepsPlusOne + step];

    /// <summary>Distance to the serving site at a step index.</summary>
    public double AccessMetresAtStep(int device, int step) => _accessMetres[(long)device * _stepsPlusOne + step];

    /// <summary>Service latency at a step index were the service on <paramref name="hostingSite"/>; NaN when inactive.</summary>
    public double LatencyMsAtStep(int device, int step, int hostingSite)
    {
        var slot = (long)device * _stepsPlusOne + step;
        var serving = _serving[slot];
        return serving < 0 ? double.NaN : _network.LatencyMs(_accessMetres[slot], serving, hostingSite);
    }

    private long Slot(int device, double timeSeconds)
    {
        var step = Math.Clamp((int)Math.Round(timeSeconds / StepSeconds), 0, _stepsPlusOne - 1);
        return (long)device * _stepsPlusOne + step;
    }
}
