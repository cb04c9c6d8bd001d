using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Migrations;
using EdgeMigrate.Silo.Persistence;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// The migration saga's grain: it starts the migration (commands to both agents) and carries out what
/// <see cref="MigrationSagaRules"/> decides for each agent event, node-offline notice, abort and deadline check. Every
/// transition is persisted before anything is sent; commands go to the agents over MQTT.
/// </summary>
public sealed partial class MigrationGrain(
    [PersistentState("migration", StorageNames.Default)] IPersistentState<MigrationSagaState> state,
    IGrainFactory grains,
    AgentChannel agents,
    MigrationTokenIssuer tokens,
    IOptions<MigrationOptions> options,
    IGrainRuntime runtime,
    ILogger<MigrationGrain> logger) : Grain, IMigrationGrain
{
    private static readonly TimeSpan DeadlineCheckPeriod = TimeSpan.FromSeconds(1);
    private IGrainTimer? _deadlineTimer;

    private TimeProvider Clock => runtime.TimeProvider;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Snapshot is { } snapshot && !snapshot.State.IsTerminal())
        {
            ArmDeadlineTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<MigrationSnapshot> StartAsync(MigrationPlan plan)
    {
        if (state.State.Snapshot is { } existing)
        {
            return existing;
        }

        var now = Clock.GetUtcNow();
        state.State.Snapshot = new MigrationSnapshot
        {
            Plan = plan,
            State = MigrationState.Requested,
            RequestedAt = now,
            UpdatedAt = now,
            History = [new MigrationTransition { At = now, State = MigrationState.Requested, Note = $"{plan.Mode} of {plan.ServiceId} {plan.SourceNodeId} → {plan.TargetNodeId}: {plan.Reason}" }],
        };
        state.State.Deadline = now + options.Value.AcceptTimeout;
        await state.WriteStateAsync();
        ArmDeadlineTimer();

        await grains.GetGrain<ICatalogGrain>(CatalogKind.Migrations).AddAsync(plan.MigrationId);
        await grains.GetGrain<IEdgeNodeGrain>(plan.SourceNodeId).TrackMigrationAsync(plan.MigrationId);
        await grains.GetGrain<IEdgeNodeGrain>(plan.TargetNodeId).TrackMigrationAsync(plan.MigrationId);

        // Target first, so it is listening by the time the source connects.
        var token = tokens.Issue(plan);
        await agents.SendCommandAsync(plan.TargetNodeId, MigrateCommand(plan, MigrationRole.Target, plan.SourceNodeId, plan.SourceEndpoint, token, now));
        await agents.SendCommandAsync(plan.SourceNodeId, MigrateCommand(plan, MigrationRole.Source, plan.TargetNodeId, plan.TargetEndpoint, token, now));
        LogStarted(logger, plan.MigrationId);
        return state.State.Snapshot;
    }

    public async Task<bool> ApplyEventAsync(MigrationEventMessage message) =>
        (await CarryOutAsync(MigrationSagaRules.OnEvent(state.State.Snapshot, message, Clock.GetUtcNow(), options.Value))).Applied;

    public async Task OnNodeOfflineAsync(string nodeId) =>
        await CarryOutAsync(MigrationSagaRules.OnNodeOffline(state.State.Snapshot, nodeId, Clock.GetUtcNow()));

    public async Task<MigrationSnapshot> AbortAsync(string reason)
    {
        if (state.State.Snapshot is not { } m)
        {
            throw new InvalidOperationException($"migration {this.GetPrimaryKeyString()} was never started");
        }

        await CarryOutAsync(MigrationSagaRules.OnAbort(m, reason, Clock.GetUtcNow()));
        return state.State.Snapshot!;
    }

    public Task<MigrationSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);

    public async Task CheckDeadlineAsync() =>
        await CarryOutAsync(MigrationSagaRules.OnDeadline(state.State.Snapshot, state.State.Deadline, Clock.GetUtcNow()));

    /// <summary>Persists a step before anything is sent, then tells the service and the nodes, then the agents.</summary>
    private async Task<SagaStep> CarryOutAsync(SagaStep step)
    {
        if (step.Snapshot is not { } next)
        {
            return step;
        }

        state.State.Snapshot = next;
        if (step.SetsDeadline)
        {
            state.State.Deadline = step.Deadline;
        }

        await state.WriteStateAsync();
        var plan = next.Plan;
        if (step.Ended is { } final)
        {
            _deadlineTimer?.Dispose();
            _deadlineTimer = null;
            await grains.GetGrain<IServiceGrain>(plan.ServiceId).OnMigrationEndedAsync(plan.MigrationId, final);
            await grains.GetGrain<IEdgeNodeGrain>(plan.SourceNodeId).ReleaseMigrationAsync(plan.MigrationId);
            await grains.GetGrain<IEdgeNodeGrain>(plan.TargetNodeId).ReleaseMigrationAsync(plan.MigrationId);
            LogFinished(logger, plan.MigrationId, final, step.Note ?? final.ToString());
        }

        if (step.ServiceRunsOnTarget)
        {
            await grains.GetGrain<IServiceGrain>(plan.ServiceId).OnMigrationProgressAsync(plan.MigrationId, MigrationEventPhase.Restored, plan.TargetNodeId);
        }

        foreach (var command in step.Commands)
        {
            await agents.SendCommandAsync(command.NodeId, FollowUpCommand(plan, command.Kind, command.Reason));
        }

        return step;
    }

    private void ArmDeadlineTimer() =>
        _deadlineTimer ??= this.RegisterGrainTimer(
            static (grain, _) => grain.CheckDeadlineAsync(),
            this,
            new GrainTimerCreationOptions(DeadlineCheckPeriod, DeadlineCheckPeriod) { KeepAlive = true });

    private NodeCommandMessage MigrateCommand(MigrationPlan plan, MigrationRole role, string peer, string? peerEndpoint, string token, DateTimeOffset now) => new()
    {
        SchemaVersion = ContractVersion.Current,
        Kind = NodeCommandKind.Migrate,
        MigrationId = plan.MigrationId,
        Timestamp = now,
        Role = role,
        ServiceId = plan.ServiceId,
        Engine = plan.Engine,
        Mode = plan.Mode,
        PeerNodeId = peer,
        PeerEndpoint = peerEndpoint,
        Token = token,
        Limits = plan.Limits,
        Workload = plan.Workload,
        Reason = plan.Reason,
    };

    private NodeCommandMessage FollowUpCommand(MigrationPlan plan, NodeCommandKind kind, string reason) => new()
    {
        SchemaVersion = ContractVersion.Current,
        Kind = kind,
        MigrationId = plan.MigrationId,
        Timestamp = Clock.GetUtcNow(),
        ServiceId = plan.ServiceId,
        Reason = reason,
    };

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Migration {MigrationId} started; commands sent to both agents")]
    private static partial void LogStarted(ILogger logger, string migrationId);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Migration {MigrationId} {State}: {Note}")]
    private static partial void LogFinished(ILogger logger, string migrationId, MigrationState state, string note);
}
