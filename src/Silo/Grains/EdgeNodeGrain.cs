using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Persistence;

namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// An edge node as its agent reports it. When the agent goes offline (its last-will), every migration it
/// takes part in is told, so the saga can roll back instead of waiting for a time-out.
/// </summary>
public sealed partial class EdgeNodeGrain(
    [PersistentState("node", StorageNames.Default)] IPersistentState<EdgeNodeState> state,
    IGrainFactory grains,
    ILogger<EdgeNodeGrain> logger) : Grain, IEdgeNodeGrain
{
    public async Task UpdateStatusAsync(NodeStatusMessage status)
    {
        var previous = state.State.Snapshot;
        var nodeId = this.GetPrimaryKeyString();
        var wentOffline = !status.Online && previous is { Online: true };

        // The last-will carries only "offline": keep what the node said about itself before.
        state.State.Snapshot = new EdgeNodeSnapshot
        {
            NodeId = nodeId,
            Online = status.Online,
            LastStatusAt = status.Timestamp ?? previous?.LastStatusAt ?? DateTimeOffset.MinValue,
            Arch = status.Arch ?? previous?.Arch,
            Engines = status.Engines ?? previous?.Engines ?? [],
            CpuFree = status.CpuFree ?? previous?.CpuFree,
            MemFreeMiB = status.MemFreeMiB ?? previous?.MemFreeMiB,
            TransferEndpoint = status.TransferEndpoint ?? previous?.TransferEndpoint,
            Links = status.Links ?? previous?.Links ?? new Dictionary<string, NodeLinkEstimate>(),
            Services = status.Services ?? previous?.Services ?? [],
            Position = status.Lat is { } lat && status.Lon is { } lon ? new Models.Geo.GeoPoint(lat, lon) : previous?.Position,
            SiteId = status.SiteId ?? previous?.SiteId ?? nodeId,
            ActiveMigrations = state.State.ActiveMigrations.ToArray(),
        };
        await state.WriteStateAsync();

        if (previous is null)
        {
            await grains.GetGrain<ICatalogGrain>(CatalogKind.Nodes).AddAsync(nodeId);
        }

        if (wentOffline)
        {
            LogOffline(logger, nodeId, state.State.ActiveMigrations.Count);
            foreach (var migrationId in state.State.ActiveMigrations)
            {
                // One-way: the saga may call back into this grain (ReleaseMigrationAsync).
                await grains.GetGrain<IMigrationGrain>(migrationId).OnNodeOfflineAsync(nodeId);
            }
        }
    }

    public Task<EdgeNodeSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);

    public async Task TrackMigrationAsync(string migrationId)
    {
        if (state.State.ActiveMigrations.Add(migrationId))
        {
            await SaveMigrationsAsync();
        }
    }

    public async Task ReleaseMigrationAsync(string migrationId)
    {
        if (state.State.ActiveMigrations.Remove(migrationId))
        {
            await SaveMigrationsAsync();
        }
    }

    private async Task SaveMigrationsAsync()
    {
        if (state.State.Snapshot is { } snapshot)
        {
            state.State.Snapshot = snapshot with { ActiveMigrations = state.State.ActiveMigrations.ToArray() };
        }

        await state.WriteStateAsync();
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Node {NodeId} went offline with {Count} migration(s) in flight")]
    private static partial void LogOffline(ILogger logger, string nodeId, int count);
}
