namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>What the target does with complete rounds: unpack a bundle, restore the final image set.</summary>
public sealed class ReceiverCallbacks
{
    /// <summary>Whether the target already has the service's bundle (then the sender skips the bundle round).</summary>
    public Func<ReceiverSession, bool> HasBundle { get; init; } = static _ => true;

    /// <summary>A verified round (not the final one) is complete: e.g. unpack the verified bundle tar.</summary>
    public Func<ReceiverSession, RoundManifest, CancellationToken, Task> RoundCompleted { get; init; } = static (_, _, _) => Task.CompletedTask;

    /// <summary>The final round is complete and verified: restore; returns how long the restore itself took (ms).</summary>
    public Func<ReceiverSession, CancellationToken, Task<double>> Restore { get; init; } = static (_, _) => Task.FromResult(0.0);

    /// <summary>The sender abandoned the migration.</summary>
    public Func<ReceiverSession, string, Task> Aborted { get; init; } = static (_, _) => Task.CompletedTask;
}
