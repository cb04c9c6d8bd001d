using System.Globalization;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>
/// The migration saga's transition rules, as a pure function of the current snapshot, one input and the time:
/// requested → precopy → final → restored → committed; before restored, any failure, abort, silent agent or lost node
/// → rolled-back (the service stays on the source, both agents are told to abort); after restored the target runs the
/// service, so the saga only ends committed. <see cref="Grains.MigrationGrain"/> persists and carries out the steps.
/// </summary>
public static class MigrationSagaRules
{
    /// <summary>An agent's event (validated by the contract parser).</summary>
    public static SagaStep OnEvent(MigrationSnapshot? m, MigrationEventMessage message, DateTimeOffset now, MigrationOptions timeouts)
    {
        if (m is null)
        {
            return SagaStep.None;
        }

        var plan = m.Plan;
        var fromSource = message.NodeId == plan.SourceNodeId;
        var fromTarget = message.NodeId == plan.TargetNodeId;
        if ((!fromSource && !fromTarget) || m.State.IsTerminal())
        {
            return Ignore(m);
        }

        switch (message.Phase)
        {
            case MigrationEventPhase.Accepted when m.State == MigrationState.Requested:
                return Transition(m.State, $"{message.NodeId} accepted", m, now, timeouts.AcceptTimeout);

            case MigrationEventPhase.Round when fromSource && m.State is MigrationState.Requested or MigrationState.PreCopy:
                return Transition(MigrationState.PreCopy, $"round {message.Round}: sent {message.BytesSent ?? 0} B, {message.DirtyBytes ?? 0} B dirty", m with
                {
                    Rounds = Math.Max(m.Rounds, message.Round ?? m.Rounds + 1),
                    BytesSent = m.BytesSent + (message.BytesSent ?? 0),
                    LastDirtyBytes = message.DirtyBytes ?? m.LastDirtyBytes,
                    LastRateMbps = message.RateMbps ?? m.LastRateMbps,
                }, now, timeouts.PhaseTimeout);

            case MigrationEventPhase.Final when fromSource && m.State is MigrationState.Requested or MigrationState.PreCopy:
                return Transition(MigrationState.Final, $"source frozen; final delta {message.BytesSent ?? 0} B", m with
                {
                    BytesSent = m.BytesSent + (message.BytesSent ?? 0),
                    LastDirtyBytes = message.DirtyBytes ?? m.LastDirtyBytes,
                }, now, timeouts.PhaseTimeout);

            case MigrationEventPhase.Restored when fromTarget && m.State is MigrationState.Requested or MigrationState.PreCopy or MigrationState.Final:
                return Transition(MigrationState.Restored, $"running on {plan.TargetNodeId}; downtime {message.DowntimeMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? "?"} ms", m with
                {
                    DowntimeMs = message.DowntimeMs ?? m.DowntimeMs,
                }, now, timeouts.CommitTimeout) with
                {
                    ServiceRunsOnTarget = true,
                    Commands = [new SagaCommand(plan.SourceNodeId, NodeCommandKind.Commit, "target runs the service")],
                };

            case MigrationEventPhase.Committed when fromSource && m.State == MigrationState.Restored:
                return Finish(MigrationState.Committed, "source removed its copy", m, now);

            case MigrationEventPhase.RolledBack when fromSource && m.State is not MigrationState.Restored:
                // The target may hold staged images: tell it to drop them.
                return Finish(MigrationState.RolledBack, "source resumed; the service stays there", m with { Error = message.Error ?? m.Error }, now) with
                {
                    Commands = [new SagaCommand(plan.TargetNodeId, NodeCommandKind.Abort, message.Error ?? "source rolled back")],
                };

            case MigrationEventPhase.Failed when m.State is MigrationState.Restored:
                // The target runs the service; a failed clean-up on the source does not undo that.
                return Finish(MigrationState.Committed, $"{message.NodeId} reported after restore: {message.Error}", m with { Error = message.Error }, now);

            case MigrationEventPhase.Failed:
                return RollBack($"{message.NodeId} failed: {message.Error ?? "no reason given"}", m, now);

            default:
                return Ignore(m);
        }
    }

    /// <summary>A participating node's agent went offline (its last-will).</summary>
    public static SagaStep OnNodeOffline(MigrationSnapshot? m, string nodeId, DateTimeOffset now)
    {
        if (m is null || m.State.IsTerminal())
        {
            return SagaStep.None;
        }

        var role = nodeId == m.Plan.TargetNodeId ? "target" : nodeId == m.Plan.SourceNodeId ? "source" : null;
        return (role, m.State) switch
        {
            (null, _) => SagaStep.None,

            // The target already runs the service; only the source's clean-up is unconfirmed.
            ("source", MigrationState.Restored) => Finish(MigrationState.Committed, "source went offline before confirming clean-up; target runs the service", m, now),
            (_, MigrationState.Restored) => SagaStep.None,
            ("source", MigrationState.Final) => Finish(MigrationState.Failed, "source agent went offline while frozen, before the target restored", m with { Error = "source offline during final phase" }, now),
            _ => RollBack($"{role} agent {nodeId} went offline", m, now),
        };
    }

    /// <summary>An operator (or policy) abandons the migration; once the target runs the service it is too late.</summary>
    public static SagaStep OnAbort(MigrationSnapshot m, string reason, DateTimeOffset now) =>
        m.State.IsTerminal() || m.State == MigrationState.Restored ? SagaStep.None : RollBack($"aborted: {reason}", m, now);

    /// <summary>The periodic deadline check: a phase that made no progress in time ends the saga.</summary>
    public static SagaStep OnDeadline(MigrationSnapshot? m, DateTimeOffset? deadline, DateTimeOffset now)
    {
        if (m is null || m.State.IsTerminal() || deadline is not { } due || now < due)
        {
            return SagaStep.None;
        }

        return m.State == MigrationState.Restored
            ? Finish(MigrationState.Committed, "source did not confirm clean-up in time; target runs the service", m with { Error = "commit unconfirmed" }, now)
            : RollBack($"timed out in {m.State} (no progress from the agents)", m, now);
    }

    private static SagaStep RollBack(string why, MigrationSnapshot m, DateTimeOffset now) =>
        Finish(MigrationState.RolledBack, why, m with { Error = m.Error ?? why }, now) with
        {
            Commands = [new SagaCommand(m.Plan.TargetNodeId, NodeCommandKind.Abort, why), new SagaCommand(m.Plan.SourceNodeId, NodeCommandKind.Abort, why)],
        };

    private static SagaStep Finish(MigrationState final, string note, MigrationSnapshot m, DateTimeOffset now) =>
        Transition(final, note, m, now, deadlineIn: null) with { Ended = final };

    private static SagaStep Transition(MigrationState next, string note, MigrationSnapshot m, DateTimeOffset now, TimeSpan? deadlineIn) => new()
    {
        Snapshot = m with
        {
            State = next,
            UpdatedAt = now,
            // An array, as before: stored state names the collection's type.
            History = m.History.Append(new MigrationTransition { At = now, State = next, Note = note }).ToArray(),
        },
        SetsDeadline = true,
        Deadline = deadlineIn is { } d ? now + d : null,
        Applied = true,
        Note = note,
    };

    private static SagaStep Ignore(MigrationSnapshot m) => new() { Snapshot = m with { IgnoredEvents = m.IgnoredEvents + 1 } };
}
