using System.Text.Json;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// The target side's lifecycle, the same for every engine: a receiver session for this migration and token,
/// "accepted" when it is expected, then "restored" with the downtime (or "failed") when the session ends. An
/// abort discards everything received (and the restored copy, if the silo abandons the migration). The engine
/// supplies the steps: what a completed round means, how the service is restored and removed again.
/// </summary>
public abstract class TargetMigrationLifecycle : IRunningMigration
{
    private int _ended;

    protected TargetMigrationLifecycle(MigrationContext context, NodeCommandMessage command)
    {
        Context = context;
        Command = command;
        Session = new ReceiverSession(
            command.MigrationId,
            command.ServiceId!,
            command.Token!,
            context.MigrationDirectory(command.MigrationId, "target"),
            new ReceiverCallbacks
            {
                HasBundle = HasBundle,
                RoundCompleted = RoundCompletedAsync,
                Restore = RestoreAsync,
                Aborted = (_, reason) => DiscardAsync($"the source aborted: {reason}"),
            },
            context.Time,
            context.Loggers.CreateLogger<ReceiverSession>());
    }

    public string MigrationId => Command.MigrationId;

    public string ServiceId => Command.ServiceId!;

    public MigrationRole Role => MigrationRole.Target;

    public ReceiverSession Session { get; }

    public bool Restored { get; protected set; }

    protected MigrationContext Context { get; }

    protected NodeCommandMessage Command { get; }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(Session.Directory);
        Context.Server.Expect(Session);
        await Context.PublishAsync(MigrationId, MigrationEventPhase.Accepted);
        _ = ReportOutcomeAsync();
    }

    /// <summary>The target is done once it reported "restored"; a commit only ends its registration.</summary>
    public void Commit()
    {
    }

    /// <summary>The silo abandoned the migration: drop what was received and any restored copy (the source resumes).</summary>
    public async Task AbortAsync(string reason)
    {
        if (Restored && await RemoveRestoredAsync())
        {
            await Context.ServicesChanged();
        }

        await DiscardAsync(reason);
    }

    /// <summary>Whether the target already has what runs the service (then the source skips the bundle round).</summary>
    protected abstract bool HasBundle(ReceiverSession session);

    /// <summary>A verified round (not the final one) is complete.</summary>
    protected abstract Task RoundCompletedAsync(ReceiverSession session, RoundManifest manifest, CancellationToken ct);

    /// <summary>The final round is complete and verified: runs the service here (sets <see cref="Restored"/>); returns the restore's milliseconds.</summary>
    protected abstract Task<double> RestoreAsync(ReceiverSession session, CancellationToken ct);

    /// <summary>Removes the restored service, if it still runs here; true when it was removed.</summary>
    protected abstract Task<bool> RemoveRestoredAsync();

    /// <summary>Releases what the engine staged for the restore (called on every discard).</summary>
    protected virtual void ReleaseStaged()
    {
    }

    protected abstract void LogDiscarded(string reason);

    private async Task ReportOutcomeAsync()
    {
        var outcome = await Session.Outcome;
        if (outcome.Header.Type == FrameType.Restored)
        {
            var restored = JsonSerializer.Deserialize(outcome.Payload, TransferJsonContext.Default.RestoredMessage)!;
            Context.Metrics.Downtime(restored.DowntimeMs);
            Context.Metrics.MigrationEnded("target", "restored");
            await Context.ServicesChanged();
            await Context.PublishAsync(MigrationId, MigrationEventPhase.Restored, bytesSent: Session.BytesReceived, downtimeMs: restored.DowntimeMs);
            Cleanup();
        }
        else
        {
            var reason = JsonSerializer.Deserialize(outcome.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? "restore failed";
            Context.Metrics.MigrationEnded("target", "failed");
            await Context.PublishAsync(MigrationId, MigrationEventPhase.Failed, error: reason);
            await DiscardAsync(reason);
        }
    }

    private Task DiscardAsync(string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            LogDiscarded(reason);
        }

        ReleaseStaged();
        Cleanup();
        return Task.CompletedTask;
    }

    private void Cleanup()
    {
        Context.Server.Forget(MigrationId);
        var dir = Path.GetDirectoryName(Session.Directory)!;
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // A connection may still hold a file; the next start-up cleans up.
        }
    }
}
