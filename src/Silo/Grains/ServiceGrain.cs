using EdgeMigrate.Decision.Placement;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Migrations;
using EdgeMigrate.Silo.Persistence;

namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// A stateful service and where it runs. Starts migrations after checking they can succeed, allows one at
/// a time, and publishes the retained endpoint devices connect to.
/// </summary>
public sealed partial class ServiceGrain(
    [PersistentState("service", StorageNames.Default)] IPersistentState<ServiceState> state,
    IGrainFactory grains,
    AgentChannel agents,
    IGrainRuntime runtime,
    ILogger<ServiceGrain> logger) : Grain, IServiceGrain
{
    public async Task<ServiceSnapshot?> CreateAsync(ServiceSpec spec)
    {
        if (state.State.Snapshot is { } existing)
        {
            return existing.Spec == spec ? existing : null;
        }

        var now = runtime.TimeProvider.GetUtcNow();
        state.State.Snapshot = new ServiceSnapshot { Spec = spec, NodeId = spec.NodeId, CreatedAt = now, UpdatedAt = now };
        await state.WriteStateAsync();
        await grains.GetGrain<ICatalogGrain>(CatalogKind.Services).AddAsync(spec.ServiceId);
        if (spec.DeviceId is { } deviceId)
        {
            await grains.GetGrain<IDeviceGrain>(deviceId).AttachServiceAsync(spec.ServiceId);
        }

        await PublishEndpointAsync(spec.NodeId, migrationId: null);
        return state.State.Snapshot;
    }

    public Task<ServiceSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);

    public async Task<MigrationRequestOutcome> RequestMigrationAsync(MigrationRequest request)
    {
        if (state.State.Snapshot is not { } service)
        {
            return MigrationRequestOutcome.Refused(MigrationRefusal.NotFound, $"service '{this.GetPrimaryKeyString()}' does not exist");
        }

        if (service.ActiveMigrationId is { } active)
        {
            return MigrationRequestOutcome.Refused(MigrationRefusal.Conflict, $"migration {active} of this service is still running");
        }

        if (request.TargetNodeId == service.NodeId)
        {
            return MigrationRequestOutcome.Refused(MigrationRefusal.Conflict, $"the service already runs on {service.NodeId}");
        }

        var source = await grains.GetGrain<IEdgeNodeGrain>(service.NodeId).GetAsync();
        var target = await grains.GetGrain<IEdgeNodeGrain>(request.TargetNodeId).GetAsync();
        if (target is null)
        {
            return MigrationRequestOutcome.Refused(MigrationRefusal.NotFound, $"target node '{request.TargetNodeId}' is unknown: no agent has reported it");
        }

        if (source is null)
        {
            return MigrationRequestOutcome.Refused(MigrationRefusal.NotFound, $"source node '{service.NodeId}' is unknown: no agent has reported it");
        }

        if (PlacementCheck.WhyNot(service.Spec.Engine, request.Mode, source, target) is { } reason)
        {
            return MigrationRequestOutcome.Refused(MigrationRefusal.Unsuitable, reason);
        }

        state.State.MigrationAttempts++;
        var plan = new MigrationPlan
        {
            MigrationId = $"{service.Spec.ServiceId}-m{state.State.MigrationAttempts:D4}",
            ServiceId = service.Spec.ServiceId,
            SourceNodeId = source.NodeId,
            TargetNodeId = target.NodeId,
            Mode = request.Mode,
            Engine = service.Spec.Engine,
            Workload = service.Spec.Workload,
            SourceEndpoint = source.TransferEndpoint,
            TargetEndpoint = target.TransferEndpoint,
            Reason = request.Reason,
            Limits = request.Limits ?? new MigrationLimits(),
        };

        // Recorded before the saga starts, so a crash in between cannot let a second migration begin.
        state.State.Snapshot = service with { ActiveMigrationId = plan.MigrationId, UpdatedAt = runtime.TimeProvider.GetUtcNow() };
        await state.WriteStateAsync();
        LogMigrationRequested(logger, plan.MigrationId, plan.ServiceId, plan.SourceNodeId, plan.TargetNodeId, plan.Mode, plan.Reason);
        var migration = await grains.GetGrain<IMigrationGrain>(plan.MigrationId).StartAsync(plan);
        return MigrationRequestOutcome.Started(migration);
    }

    public async Task OnMigrationProgressAsync(string migrationId, MigrationEventPhase phase, string nodeId)
    {
        if (state.State.Snapshot is not { } service || service.ActiveMigrationId != migrationId || phase != MigrationEventPhase.Restored)
        {
            return;
        }

        // The target runs the service now: devices should connect there even before the source cleans up.
        state.State.Snapshot = service with { NodeId = nodeId, UpdatedAt = runtime.TimeProvider.GetUtcNow() };
        await state.WriteStateAsync();
        await PublishEndpointAsync(nodeId, migrationId);
    }

    public async Task OnMigrationEndedAsync(string migrationId, MigrationState outcome)
    {
        if (state.State.Snapshot is not { } service || service.ActiveMigrationId != migrationId)
        {
            return;
        }

        state.State.Snapshot = service with
        {
            ActiveMigrationId = null,
            LastMigrationId = migrationId,
            CompletedMigrations = service.CompletedMigrations + (outcome == MigrationState.Committed ? 1 : 0),
            UpdatedAt = runtime.TimeProvider.GetUtcNow(),
        };
        await state.WriteStateAsync();
    }

    private async Task PublishEndpointAsync(string nodeId, string? migrationId)
    {
        var node = await grains.GetGrain<IEdgeNodeGrain>(nodeId).GetAsync();
        await agents.PublishEndpointAsync(new ServiceEndpointMessage
        {
            SchemaVersion = ContractVersion.Current,
            ServiceId = this.GetPrimaryKeyString(),
            Timestamp = runtime.TimeProvider.GetUtcNow(),
            NodeId = nodeId,
            SiteId = node?.SiteId ?? nodeId,
            Address = node?.TransferEndpoint is { } ep ? ep[..ep.LastIndexOf(':')] : null,
            MigrationId = migrationId,
        });
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Migration {MigrationId} requested: {ServiceId} {Source} → {Target} ({Mode}, {Reason})")]
    private static partial void LogMigrationRequested(ILogger logger, string migrationId, string serviceId, string source, string target, MigrationMode mode, string reason);
}
