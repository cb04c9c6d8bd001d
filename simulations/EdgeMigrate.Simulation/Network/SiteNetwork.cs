using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulation.Network;

/// <summary>
/// The network between sites as the engine, the recorded future and the offline optimum all see it: backhaul latency
/// between a device's serving site and its service's host, and what a migration between two sites costs. Without
/// links every pair follows the latency model and shares one migration estimate; a <see cref="SiteLink"/> overrides
/// the RTT and/or the bandwidth of its pair.
/// </summary>
public sealed class SiteNetwork
{
    private readonly SiteLayout _sites;
    private readonly LatencyModel _latency;
    private readonly MigrationCostParameters _migration;
    private readonly Dictionary<long, double>? _rttMs;
    private readonly Dictionary<long, MigrationCostEstimate>? _pairEstimates;

    public SiteNetwork(SiteLayout sites, LatencyModel latency, MigrationCostParameters migration, IReadOnlyList<SiteLink>? links = null)
    {
        ArgumentNullException.ThrowIfNull(sites);
        ArgumentNullException.ThrowIfNull(latency);
        ArgumentNullException.ThrowIfNull(migration);
        _sites = sites;
        _latency = latency;
        _migration = migration;
        DefaultMigration = PreCopyCostModel.Estimate(migration);
        foreach (var link in links ?? [])
        {
            if (link.RttMs is { } rtt)
            {
                _rttMs ??= [];
                _rttMs[Key(link.From, link.To)] = rtt;
                _rttMs.TryAdd(Key(link.To, link.From), rtt); // symmetric unless the reverse row says otherwise
            }

            if (link.BandwidthBytesPerSecond is { } bandwidth)
            {
                _pairEstimates ??= [];
                _pairEstimates[Key(link.From, link.To)] = PreCopyCostModel.Estimate(migration with { BandwidthBytesPerSecond = bandwidth });
            }
        }

        Links = links ?? [];
    }

    public SiteLayout Sites => _sites;

    public LatencyModel Latency => _latency;

    public MigrationCostParameters MigrationParameters => _migration;

    public IReadOnlyList<SiteLink> Links { get; }

    /// <summary>What a migration between two sites without a link of their own costs.</summary>
    public MigrationCostEstimate DefaultMigration { get; }

    /// <summary>Every migration costs <see cref="DefaultMigration"/> (no link sets a bandwidth).</summary>
    public bool UniformMigrationCost => _pairEstimates is null;

    /// <summary>Backhaul latency from the serving site to the hosting site (0 when they are the same site).</summary>
    public double BackhaulMs(int serving, int host)
    {
        if (serving == host)
        {
            return 0;
        }

        if (_rttMs is not null && _rttMs.TryGetValue(Key(serving, host), out var rtt))
        {
            return rtt;
        }

        return _latency.BackhaulMs(_sites.Distance(serving, host), sameSite: false);
    }

    /// <summary>Service latency for a device <paramref name="accessMetres"/> from its serving site with the service on <paramref name="host"/>.</summary>
    public double LatencyMs(double accessMetres, int serving, int host) => _latency.AccessMs(accessMetres) + BackhaulMs(serving, host);

    /// <summary>What moving a service from <paramref name="from"/> to <paramref name="to"/> costs.</summary>
    public MigrationCostEstimate Migration(int from, int to) =>
        _pairEstimates is not null && _pairEstimates.TryGetValue(Key(from, to), out var estimate) ? estimate : DefaultMigration;

    private static long Key(int from, int to) => ((long)from << 32) | (uint)to;
}
