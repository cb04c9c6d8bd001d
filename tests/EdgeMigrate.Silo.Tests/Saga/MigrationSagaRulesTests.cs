using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Migrations;

namespace EdgeMigrate.Silo.Tests.Saga;

/// <summary>The saga's transition rules as a pure function: every input in every state, no grain, broker or clock.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class MigrationSagaRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 7, 30, 0, TimeSpan.Zero);
    private static readonly MigrationOptions Timeouts = new() { AcceptTimeout = TimeSpan.FromSeconds(30), PhaseTimeout = TimeSpan.FromMinutes(2), CommitTimeout = TimeSpan.FromMinutes(1) };

    [Fact]
    public void A_pre_copy_walks_requested_precopy_final_restored_committed()
    {
        var m = Saga(MigrationState.Requested);

        var accepted = MigrationSagaRules.OnEvent(m, Event("dst", MigrationEventPhase.Accepted), T0.AddSeconds(1), Timeouts);
        Assert.Equal((MigrationState.Requested, true, T0.AddSeconds(31)), (accepted.Snapshot!.State, accepted.Applied, accepted.Deadline!.Value));
        Assert.Equal("dst accepted", accepted.Snapshot.History[^1].Note);

        var round = MigrationSagaRules.OnEvent(accepted.Snapshot, Event("src", MigrationEventPhase.Round, round: 1, bytes: 4096), T0.AddSeconds(2), Timeouts);
        Assert.Equal((MigrationState.PreCopy, 1, 4096L, T0.AddSeconds(122)), (round.Snapshot!.State, round.Snapshot.Rounds, round.Snapshot.BytesSent, round.Deadline!.Value));

        var final = MigrationSagaRules.OnEvent(round.Snapshot, Event("src", MigrationEventPhase.Final, bytes: 100), T0.AddSeconds(3), Timeouts);
        Assert.Equal((MigrationState.Final, 4196L, "source frozen; final delta 100 B"), (final.Snapshot!.State, final.Snapshot.BytesSent, final.Note));

        var restored = MigrationSagaRules.OnEvent(final.Snapshot, Event("dst", MigrationEventPhase.Restored, downtimeMs: 42.5), T0.AddSeconds(4), Timeouts);
        Assert.Equal((MigrationState.Restored, 42.5, true, T0.AddSeconds(64)), (restored.Snapshot!.State, restored.Snapshot.DowntimeMs!.Value, restored.ServiceRunsOnTarget, restored.Deadline!.Value));
        Assert.Equal([new SagaCommand("src", NodeCommandKind.Commit, "target runs the service")], restored.Commands);
        Assert.Null(restored.Ended);

        var committed = MigrationSagaRules.OnEvent(restored.Snapshot, Event("src", MigrationEventPhase.Committed), T0.AddSeconds(5), Timeouts);
        Assert.Equal((MigrationState.Committed, MigrationState.Committed, (DateTimeOffset?)null), (committed.Snapshot!.State, committed.Ended!.Value, committed.Deadline));
        Assert.Empty(committed.Commands);
        Assert.Equal(
            [MigrationState.Requested, MigrationState.Requested, MigrationState.PreCopy, MigrationState.Final, MigrationState.Restored, MigrationState.Committed],
            committed.Snapshot.History.Select(h => h.State));
        Assert.IsType<MigrationTransition[]>(committed.Snapshot.History); // stored state names the collection type
    }

    [Theory]
    [InlineData(MigrationState.Requested, "stranger", MigrationEventPhase.Restored)]   // not a participant
    [InlineData(MigrationState.Requested, "dst", MigrationEventPhase.Round)]           // rounds come from the source
    [InlineData(MigrationState.Requested, "src", MigrationEventPhase.Committed)]       // commit before restore
    [InlineData(MigrationState.Restored, "src", MigrationEventPhase.RolledBack)]       // too late to roll back
    [InlineData(MigrationState.Committed, "src", MigrationEventPhase.Failed)]          // after the end
    public void An_event_that_does_not_fit_is_only_counted(MigrationState state, string node, MigrationEventPhase phase)
    {
        var m = Saga(state);

        var step = MigrationSagaRules.OnEvent(m, Event(node, phase), T0, Timeouts);

        Assert.False(step.Applied);
        Assert.False(step.SetsDeadline);
        Assert.Equal(m with { IgnoredEvents = 1 }, step.Snapshot);
        Assert.Empty(step.Commands);
    }

    [Fact]
    public void A_failure_before_the_restore_rolls_back_and_aborts_both_agents()
    {
        var step = MigrationSagaRules.OnEvent(Saga(MigrationState.PreCopy), Event("dst", MigrationEventPhase.Failed, error: "no space left"), T0, Timeouts);

        Assert.Equal((MigrationState.RolledBack, MigrationState.RolledBack, "dst failed: no space left"), (step.Snapshot!.State, step.Ended!.Value, step.Snapshot.Error));
        Assert.Equal([new SagaCommand("dst", NodeCommandKind.Abort, "dst failed: no space left"), new SagaCommand("src", NodeCommandKind.Abort, "dst failed: no space left")], step.Commands);
    }

    [Fact]
    public void A_source_that_rolls_back_by_itself_tells_only_the_target()
    {
        var step = MigrationSagaRules.OnEvent(Saga(MigrationState.Final), Event("src", MigrationEventPhase.RolledBack, error: "dump failed"), T0, Timeouts);

        Assert.Equal((MigrationState.RolledBack, "dump failed"), (step.Snapshot!.State, step.Snapshot.Error));
        Assert.Equal([new SagaCommand("dst", NodeCommandKind.Abort, "dump failed")], step.Commands);
    }

    [Fact]
    public void A_failure_after_the_restore_still_commits_because_the_target_runs_the_service()
    {
        var step = MigrationSagaRules.OnEvent(Saga(MigrationState.Restored), Event("src", MigrationEventPhase.Failed, error: "rm failed"), T0, Timeouts);

        Assert.Equal((MigrationState.Committed, "rm failed", "src reported after restore: rm failed"), (step.Snapshot!.State, step.Snapshot.Error, step.Note));
        Assert.Empty(step.Commands);
    }

    [Theory]
    [InlineData(MigrationState.PreCopy, "dst", MigrationState.RolledBack, "target agent dst went offline")]
    [InlineData(MigrationState.Requested, "src", MigrationState.RolledBack, "source agent src went offline")]
    [InlineData(MigrationState.Final, "src", MigrationState.Failed, "source agent went offline while frozen, before the target restored")]
    [InlineData(MigrationState.Restored, "src", MigrationState.Committed, "source went offline before confirming clean-up; target runs the service")]
    public void A_lost_node_ends_the_saga_by_its_role_and_phase(MigrationState state, string node, MigrationState expected, string note)
    {
        var step = MigrationSagaRules.OnNodeOffline(Saga(state), node, T0);

        Assert.Equal((expected, expected, note), (step.Snapshot!.State, step.Ended!.Value, step.Note));
    }

    [Theory]
    [InlineData(MigrationState.Restored, "dst")] // the target runs the service: its own restart is not the saga's business
    [InlineData(MigrationState.PreCopy, "stranger")]
    [InlineData(MigrationState.RolledBack, "src")]
    public void A_lost_node_that_does_not_matter_changes_nothing(MigrationState state, string node) =>
        Assert.Same(SagaStep.None, MigrationSagaRules.OnNodeOffline(Saga(state), node, T0));

    [Fact]
    public void Abort_rolls_back_until_the_target_runs_the_service()
    {
        var aborted = MigrationSagaRules.OnAbort(Saga(MigrationState.PreCopy), "operator changed their mind", T0);
        Assert.Equal((MigrationState.RolledBack, "aborted: operator changed their mind"), (aborted.Snapshot!.State, aborted.Snapshot.Error));
        Assert.Equal(2, aborted.Commands.Count);

        Assert.Same(SagaStep.None, MigrationSagaRules.OnAbort(Saga(MigrationState.Restored), "too late", T0));
    }

    [Fact]
    public void A_deadline_that_passed_rolls_back_or_after_the_restore_commits()
    {
        Assert.Same(SagaStep.None, MigrationSagaRules.OnDeadline(Saga(MigrationState.PreCopy), T0.AddSeconds(1), T0));

        var timedOut = MigrationSagaRules.OnDeadline(Saga(MigrationState.PreCopy), T0, T0);
        Assert.Equal((MigrationState.RolledBack, "timed out in PreCopy (no progress from the agents)"), (timedOut.Snapshot!.State, timedOut.Snapshot.Error));

        var unconfirmed = MigrationSagaRules.OnDeadline(Saga(MigrationState.Restored), T0, T0.AddSeconds(5));
        Assert.Equal((MigrationState.Committed, "commit unconfirmed"), (unconfirmed.Snapshot!.State, unconfirmed.Snapshot.Error));
        Assert.Empty(unconfirmed.Commands);
    }

    [Fact]
    public void Without_a_saga_nothing_happens() =>
        Assert.Same(SagaStep.None, MigrationSagaRules.OnEvent(null, Event("src", MigrationEventPhase.Round), T0, Timeouts));

    private static MigrationSnapshot Saga(MigrationState state) => new()
    {
        Plan = new MigrationPlan
        {
            MigrationId = "svc-m0001",
            ServiceId = "svc",
            SourceNodeId = "src",
            TargetNodeId = "dst",
            Mode = MigrationMode.PreCopy,
            Engine = WorkloadEngine.Container,
            Workload = "counter",
            Reason = "test",
        },
        State = state,
        RequestedAt = T0,
        UpdatedAt = T0,
        History = [new MigrationTransition { At = T0, State = state, Note = "given" }],
    };

    private static MigrationEventMessage Event(string node, MigrationEventPhase phase, int? round = null, long? bytes = null, double? downtimeMs = null, string? error = null) => new()
    {
        SchemaVersion = ContractVersion.Current,
        MigrationId = "svc-m0001",
        NodeId = node,
        Timestamp = T0,
        Phase = phase,
        Round = round,
        BytesSent = bytes,
        DowntimeMs = downtimeMs,
        Error = error,
    };
}
