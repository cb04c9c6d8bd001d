using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains;

/// <summary>One edge node and its agent, keyed by node id.</summary>
public interface IEdgeNodeGrain : IGrainWithStringKey
{
    /// <summary>Applies a validated status report (or the agent's last-will, which says offline).</summary>
    Task UpdateStatusAsync([Immutable] NodeStatusMessage status);

    /// <summary>The node's state, or null for a node that never reported.</summary>
    [AlwaysInterleave]
    Task<EdgeNodeSnapshot?> GetAsync();

    /// <summary>Remembers a migration this node takes part in, so it can be told if the node goes offline.</summary>
    Task TrackMigrationAsync(string migrationId);

    /// <summary>One-way: called by a saga that may itself have been called by this node.</summary>
    [OneWay]
    Task ReleaseMigrationAsync(string migrationId);
}
