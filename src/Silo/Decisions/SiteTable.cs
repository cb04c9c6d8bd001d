namespace EdgeMigrate.Silo.Decisions;

/// <summary>The sites at one moment. Indexes never change for a site id while the silo runs, so per-device policy state stays valid.</summary>
public sealed record SiteTable(IReadOnlyList<EdgeSite> Sites, IReadOnlyDictionary<string, int> IndexBySiteId)
{
    public static SiteTable Empty { get; } = new([], new Dictionary<string, int>());

    public EdgeSite? Find(string? siteId) => siteId is not null && IndexBySiteId.TryGetValue(siteId, out var i) ? Sites[i] : null;

    /// <summary>The site a node serves, or null for a node that never reported.</summary>
    public EdgeSite? SiteOfNode(string nodeId) => Sites.FirstOrDefault(s => s.Nodes.Any(n => n.NodeId == nodeId));
}
