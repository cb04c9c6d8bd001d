using System.Text.Json;
using EdgeMigrate.EdgeAgent.Engines.Container;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// The target side: registers a receiver session for this migration and token, unpacks the bundle when it
/// arrives, restores the final image set with <c>runc restore -d</c>, and reports "restored" with the downtime.
/// An abort discards everything received (and the restored copy, if the silo abandons the migration).
/// </summary>
public sealed partial class TargetMigration
{
    private readonly MigrationContext _context;
    private readonly NodeCommandMessage _command;
    private readonly ILogger _logger;
    private int _ended;

    public TargetMigration(MigrationContext context, NodeCommandMessage command)
    {
        _context = context;
        _command = command;
        _logger = context.Loggers.CreateLogger<TargetMigration>();
        Session = new ReceiverSession(
            command.MigrationId,
            command.ServiceId!,
            command.Token!,
            context.MigrationDirectory(command.MigrationId, "target"),
            new ReceiverCallbacks
            {
                HasBundle = s => context.Containers.HasBundle(s.ServiceId),
                RoundCompleted = UnpackBundleAsync,
                Restore = RestoreAsync,
                Aborted = (_, reason) => DiscardAsync($"the source aborted: {reason}"),
            },
            context.Time,
            context.Loggers.CreateLogger<ReceiverSession>());
    }

    public string MigrationId => _command.MigrationId;

    public ReceiverSession Session { get; }

    public bool Restored { get; private set; }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(Session.Directory);
        _context.Server.Expect(Session);
        await _context.PublishAsync(MigrationId, MigrationEventPhase.Accepted);
        _ = ReportOutcomeAsync();
    }

    /// <summary>The silo abandoned the migration: drop the images and any restored copy (the source resumes).</summary>
    public async Task AbortAsync(string reason)
    {
        if (Restored && await _context.Containers.StatusAsync(Session.ServiceId, CancellationToken.None) is not null)
        {
            await _context.Containers.RemoveAsync(Session.ServiceId, CancellationToken.None);
            await _context.ServicesChanged();
        }

        await DiscardAsync(reason);
    }

    private async Task ReportOutcomeAsync()
    {
        var outcome = await Session.Outcome;
        if (outcome.Header.Type == FrameType.Restored)
        {
            var restored = JsonSerializer.Deserialize(outcome.Payload, TransferJsonContext.Default.RestoredMessage)!;
            _context.Metrics.Downtime(restored.DowntimeMs);
            _context.Metrics.MigrationEnded("target", "restored");
            await _context.ServicesChanged();
            await _context.PublishAsync(MigrationId, MigrationEventPhase.Restored, bytesSent: Session.BytesReceived, downtimeMs: restored.DowntimeMs);
            Cleanup();
        }
        else
        {
            var reason = JsonSerializer.Deserialize(outcome.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? "restore failed";
            _context.Metrics.MigrationEnded("target", "failed");
            await _context.PublishAsync(MigrationId, MigrationEventPhase.Failed, error: reason);
            await DiscardAsync(reason);
        }
    }

    private async Task UnpackBundleAsync(ReceiverSession session, RoundManifest manifest, CancellationToken ct)
    {
        if (manifest.Kind != TransferRound.BundleKind)
        {
            return;
        }

        var bundle = _context.Containers.BundleOf(session.ServiceId);
        await BundleArchive.UnpackAsync(session.BundleFile, bundle, ct);
        await BundleArchive.SetCgroupsPathAsync(bundle, _context.Containers.CgroupsPathOf(session.ServiceId), ct);
        File.Delete(session.BundleFile);
        LogBundle(_logger, MigrationId, bundle);
    }

    private async Task<double> RestoreAsync(ReceiverSession session, CancellationToken ct)
    {
        var started = _context.Time.GetTimestamp();
        if (!_context.Containers.HasBundle(session.ServiceId))
        {
            throw new InvalidOperationException($"no bundle for {session.ServiceId} on this node");
        }

        if (await _context.Containers.StatusAsync(session.ServiceId, ct) is { } stale)
        {
            throw new InvalidOperationException($"a container for {session.ServiceId} already exists here ({stale})");
        }

        await _context.Containers.RestoreAsync(session.ServiceId, session.ImagesDirectory, Path.Combine(session.Directory, "work-restore"), ct);
        Restored = true;
        return _context.Time.GetElapsedTime(started).TotalMilliseconds;
    }

    private Task DiscardAsync(string reason)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            LogDiscarded(_logger, MigrationId, reason);
        }

        Cleanup();
        return Task.CompletedTask;
    }

    private void Cleanup()
    {
        _context.Server.Forget(MigrationId);
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

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Migration {MigrationId}: bundle unpacked into {Bundle}")]
    private static partial void LogBundle(ILogger logger, string migrationId, string bundle);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Migration {MigrationId} (target): discarded: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, string migrationId, string reason);
}
