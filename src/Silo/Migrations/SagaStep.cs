using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>
/// What the saga does about one input, decided by <see cref="MigrationSagaRules"/> and carried out by the grain in this
/// order: persist <see cref="Snapshot"/> (and the deadline), then, if <see cref="Ended"/>, release the nodes and tell the
/// service; if <see cref="ServiceRunsOnTarget"/>, tell the service; then send <see cref="Commands"/> in order.
/// </summary>
public sealed record SagaStep
{
    /// <summary>Nothing to persist or send (no saga, or the input does not concern it).</summary>
    public static SagaStep None { get; } = new();

    /// <summary>The state to persist; null when nothing changes.</summary>
    public MigrationSnapshot? Snapshot { get; init; }

    /// <summary>Whether <see cref="Deadline"/> replaces the stored deadline (an ignored event leaves it).</summary>
    public bool SetsDeadline { get; init; }

    /// <summary>When the new phase times out; null once terminal.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>For an agent event: whether it fitted the saga (one that did not is counted in the snapshot and refused).</summary>
    public bool Applied { get; init; }

    /// <summary>The terminal state reached by this step, if any.</summary>
    public MigrationState? Ended { get; init; }

    /// <summary>The target reported a running restore: the service's endpoint moves there now.</summary>
    public bool ServiceRunsOnTarget { get; init; }

    public IReadOnlyList<SagaCommand> Commands { get; init; } = [];

    /// <summary>The note of the transition this step makes (for the log), if any.</summary>
    public string? Note { get; init; }
}
