using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>An edge site as the silo knows it from its nodes' status: a dense index for the policies, where it is, which nodes serve it.</summary>
public sealed record EdgeSite(int Index, string SiteId, GeoPoint? Position, IReadOnlyList<EdgeNodeSnapshot> Nodes);
