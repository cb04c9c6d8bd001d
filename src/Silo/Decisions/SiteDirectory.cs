using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>
/// This silo's view of the edge sites, rebuilt from the node grains at most every <see cref="MaxAge"/> so a
/// telemetry-rate decision does not fan out to every node grain. Site indexes are assigned once per site id.
/// </summary>
public sealed class SiteDirectory(IGrainFactory grains, TimeProvider timeProvider)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private SiteTable _table = SiteTable.Empty;
    private long _builtAt = long.MinValue;

    public async ValueTask<SiteTable> GetAsync()
    {
        if (_builtAt != long.MinValue && timeProvider.GetElapsedTime(_builtAt) < MaxAge)
        {
            return _table;
        }

        await _refresh.WaitAsync();
        try
        {
            if (_builtAt == long.MinValue || timeProvider.GetElapsedTime(_builtAt) >= MaxAge)
            {
                _table = await BuildAsync();
                _builtAt = timeProvider.GetTimestamp();
            }

            return _table;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<SiteTable> BuildAsync()
    {
        var ids = await grains.GetGrain<ICatalogGrain>(CatalogKind.Nodes).ListAsync();
        var nodes = (await Task.WhenAll(ids.Select(id => grains.GetGrain<IEdgeNodeGrain>(id).GetAsync()))).OfType<EdgeNodeSnapshot>().ToList();
        foreach (var siteId in nodes.Select(n => n.SiteId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            _indexes.TryAdd(siteId, _indexes.Count);
        }

        var sites = new EdgeSite[_indexes.Count];
        foreach (var (siteId, index) in _indexes)
        {
            var here = nodes.Where(n => n.SiteId == siteId).OrderBy(n => n.NodeId, StringComparer.Ordinal).ToArray();
            sites[index] = new EdgeSite(index, siteId, here.Select(n => n.Position).FirstOrDefault(p => p is not null), here);
        }

        return new SiteTable(sites, new Dictionary<string, int>(_indexes, StringComparer.Ordinal));
    }
}
