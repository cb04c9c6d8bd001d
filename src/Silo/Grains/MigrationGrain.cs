using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Migrations;
using EdgeMigrate.Silo.Persistence;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// The migration saga. Every transition is persisted before anything is sent, commands go to the agents
/// over MQTT, agent events move it forward, and a deadline per phase plus node-offline notices move it to
/// rolled-back (service stays on the source) when the agents cannot finish. Transitions:
/// requested → precopy → final → restored → committed; before restored any failure → rolled-back.
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

    public async Task<bool> ApplyEventAsync(MigrationEventMessage message)
    {
        if (state.State.Snapshot is not { } m)
        {
            return false;
        }

        var plan = m.Plan;
        var fromSource = message.NodeId == plan.SourceNodeId;
        var fromTarget = message.NodeId == plan.TargetNodeId;
        if ((!fromSource && !fromTarget) || m.State.IsTerminal())
        {
            return await IgnoreAsync(m);
        }

        switch (message.Phase)
        {
            case MigrationEventPhase.Accepted when m.State == MigrationState.Requested:
                await TransitionAsync(m.State, $"{message.NodeId} accepted", m, options.Value.AcceptTimeout);
                return true;

            case MigrationEventPhase.Round when fromSource && m.State is MigrationState.Requested or MigrationState.PreCopy:
                await TransitionAsync(MigrationState.PreCopy, $"round {message.Round}: sent {message.BytesSent ?? 0} B, {message.DirtyBytes ?? 0} B dirty", m with
                {
                    Rounds = Math.Max(m.Rounds, message.Round ?? m.Rounds + 1),
                    BytesSent = m.BytesSent + (message.BytesSent ?? 0),
                    LastDirtyBytes = message.DirtyBytes ?? m.LastDirtyBytes,
                    LastRateMbps = message.RateMbps ?? m.LastRateMbps,
                }, options.Value.PhaseTimeout);
                return true;

            case MigrationEventPhase.Final when fromSource && m.State is MigrationState.Requested or MigrationState.PreCopy:
                await TransitionAsync(MigrationState.Final, $"source frozen; final delta {message.BytesSent ?? 0} B", m with
                {
                    BytesSent = m.BytesSent + (message.BytesSent ?? 0),
                    LastDirtyBytes = message.DirtyBytes ?? m.LastDirtyBytes,
                }, options.Value.PhaseTimeout);
                return true;

            case MigrationEventPhase.Restored when fromTarget && m.State is MigrationState.Requested or MigrationState.PreCopy or MigrationState.Final:
                await TransitionAsync(MigrationState.Restored, $"running on {plan.TargetNodeId}; downtime {message.DowntimeMs?.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "?"} ms", m with
                {
                    DowntimeMs = message.DowntimeMs ?? m.DowntimeMs,
                }, options.Value.CommitTimeout);
                await grains.GetGrain<IServiceGrain>(plan.ServiceId).OnMigrationProgressAsync(plan.MigrationId, MigrationEventPhase.Restored, plan.TargetNodeId);
                await agents.SendCommandAsync(plan.SourceNodeId, FollowUpCommand(plan, NodeCommandKind.Commit, "target runs the service"));
                return true;

            case MigrationEventPhase.Committed when fromSource && m.State == MigrationState.Restored:
                await FinishAsync(MigrationState.Committed, "source removed its copy", m);
                return true;

            case MigrationEventPhase.RolledBack when fromSource && m.State is not MigrationState.Restored:
                await FinishAsync(MigrationState.RolledBack, "source resumed; the service stays there", m with { Error = message.Error ?? m.Error });
                // The target may hold staged images: tell it to drop them.
                await agents.SendCommandAsync(plan.TargetNodeId, FollowUpCommand(plan, NodeCommandKind.Abort, message.Error ?? "source rolled back"));
                return true;

            case MigrationEventPhase.Failed when m.State is MigrationState.Restored:
                // The target runs the service; a failed clean-up on the source does not undo that.
                await FinishAsync(MigrationState.Committed, $"{message.NodeId} reported after restore: {message.Error}", m with { Error = message.Error });
                return true;

            case MigrationEventPhase.Failed:
                await RollBackAsync($"{message.NodeId} failed: {message.Error ?? "no reason given"}", m);
                return true;

            default:
                return await IgnoreAsync(m);
        }
    }

    public async Task OnNodeOfflineAsync(string nodeId)
    {
        if (state.State.Snapshot is not { } m || m.State.IsTerminal())
        {
            return;
        }

        var role = nodeId == m.Plan.TargetNodeId ? "target" : nodeId == m.Plan.SourceNodeId ? "source" : null;
        if (role is null)
        {
            return;
        }

        if (m.State == MigrationState.Restored)
        {
            // The target already runs the service; only the source's clean-up is unconfirmed.
            if (role == "source")
            {
                await FinishAsync(MigrationState.Committed, "source went offline before confirming clean-up; target runs the service", m);
            }

            return;
        }

        if (role == "source" && m.State == MigrationState.Final)
        {
            await FinishAsync(MigrationState.Failed, "source agent went offline while frozen, before the target restored", m with { Error = "source offline during final phase" });
            return;
        }

        await RollBackAsync($"{role} agent {nodeId} went offline", m);
    }

    public async Task<MigrationSnapshot> AbortAsync(string reason)
    {
        if (state.State.Snapshot is not { } m)
        {
            throw new InvalidOperationException($"migration {this.GetPrimaryKeyString()} was never started");
        }

        if (!m.State.IsTerminal() && m.State != MigrationState.Restored)
        {
            await RollBackAsync($"aborted: {reason}", m);
        }

        return state.State.Snapshot!;
    }

    public Task<MigrationSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);

    public async Task CheckDeadlineAsync()
    {
        if (state.State.Snapshot is not { } m || m.State.IsTerminal() || state.State.Deadline is not { } deadline || Clock.GetUtcNow() < deadline)
        {
            return;
        }

        if (m.State == MigrationState.Restored)
        {
            await FinishAsync(MigrationState.Committed, "source did not confirm clean-up in time; target runs the service", m with { Error = "commit unconfirmed" });
            return;
        }

        await RollBackAsync($"timed out in {m.State} (no progress from the agents)", m);
    }

    private async Task RollBackAsync(string why, MigrationSnapshot m)
    {
        await FinishAsync(MigrationState.RolledBack, why, m with { Error = m.Error ?? why });
        var abort = FollowUpCommand(m.Plan, NodeCommandKind.Abort, why);
        await agents.SendCommandAsync(m.Plan.TargetNodeId, abort);
        await agents.SendCommandAsync(m.Plan.SourceNodeId, abort);
    }

    private async Task FinishAsync(MigrationState final, string note, MigrationSnapshot m)
    {
        await TransitionAsync(final, note, m, deadlineIn: null);
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        var plan = m.Plan;
        await grains.GetGrain<IServiceGrain>(plan.ServiceId).OnMigrationEndedAsync(plan.MigrationId, final);
        await grains.GetGrain<IEdgeNodeGrain>(plan.SourceNodeId).ReleaseMigrationAsync(plan.MigrationId);
        await grains.GetGrain<IEdgeNodeGrain>(plan.TargetNodeId).ReleaseMigrationAsync(plan.MigrationId);
        LogFinished(logger, plan.MigrationId, final, note);
    }

    private async Task TransitionAsync(MigrationState next, string note, MigrationSnapshot m, TimeSpan? deadlineIn)
    {
        var now = Clock.GetUtcNow();
        state.State.Snapshot = m with
        {
            State = next,
            UpdatedAt = now,
            History = m.History.Append(new MigrationTransition { At = now, State = next, Note = note }).ToArray(),
        };
        state.State.Deadline = deadlineIn is { } d ? now + d : null;
        await state.WriteStateAsync();
    }

    private async Task<bool> IgnoreAsync(MigrationSnapshot m)
    {
        state.State.Snapshot = m with { IgnoredEvents = m.IgnoredEvents + 1 };
        await state.WriteStateAsync();
        return false;
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
