using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Container;

/// <summary>
/// The source side: connect to the target, send the bundle if it lacks it, pre-copy rounds (leave-running
/// dumps, only changed 4 KiB blocks cross), then freeze (runc pause), a last dump of the paused container, the
/// final delta, and wait for the target's restore. The paused container stays until the silo commits; any
/// failure or abort before that resumes it (nothing is lost).
/// </summary>
public sealed partial class ContainerSourceMigration : SourceMigrationLifecycle
{
    private const int BundleChunk = 64 * 1024;
    private readonly ContainerEngine _containers;
    private readonly ILogger _logger;
    private bool _paused;
    private ImageDigest? _previous;

    public ContainerSourceMigration(MigrationContext context, ContainerEngine containers, NodeCommandMessage command)
        : base(context, command)
    {
        _containers = containers;
        _logger = context.Loggers.CreateLogger<ContainerSourceMigration>();
    }

    protected override async Task PrepareAsync(CancellationToken ct)
    {
        var status = await _containers.StatusAsync(ServiceId, ct);
        if (status != "running")
        {
            throw new InvalidOperationException($"service {ServiceId} is not running on {Context.Options.NodeId} (container status: {status ?? "none"})");
        }
    }

    protected override async Task SendBundleAsync(TransferSender sender, string dir, CancellationToken ct)
    {
        var bundleDir = Path.Combine(dir, "bundle");
        Directory.CreateDirectory(bundleDir);
        var tar = Path.Combine(bundleDir, "bundle.tar");
        string sha = string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                sha = await BundleArchive.PackAsync(_containers.BundleOf(ServiceId), tar, ct);
                break;
            }
            catch (IOException) when (attempt < 3)
            {
                // A file of the running container's rootfs vanished while it was archived; try again.
            }
        }

        var length = new FileInfo(tar).Length;
        var items = new List<TransferItem>();
        for (long offset = 0; offset < length; offset += BundleChunk)
        {
            items.Add(new TransferItem(0, offset, (int)Math.Min(BundleChunk, length - offset)));
        }

        var round = new TransferRound
        {
            Number = 0,
            Kind = TransferRound.BundleKind,
            Final = false,
            SourceDirectory = bundleDir,
            Files = [new ManifestFile("bundle.tar", length, await ImageDigest.HashFileAsync(tar, ct), sha)],
            Items = items,
        };
        await sender.SendRoundAsync(round, ct);
        LogBundleSent(_logger, MigrationId, length, sha);
        Directory.Delete(bundleDir, recursive: true);
    }

    protected override async Task<CapturedRound?> CaptureLiveRoundAsync(uint round, string dir, CancellationToken ct)
    {
        var roundDir = Path.Combine(dir, $"round-{round}");
        ImageDigest digest;
        try
        {
            await _containers.CheckpointAsync(ServiceId, roundDir, Path.Combine(dir, $"work-{round}"), ct);
            digest = await ImageDigest.ComputeAsync(roundDir, ct);
        }
        catch (RuncException ex)
        {
            // A failed live dump leaves the container running: fall back to stop-and-copy from what the target has.
            LogFallback(_logger, MigrationId, round, ex.Message);
            return null;
        }

        var transfer = TransferRound.FromDigest(round, final: false, roundDir, digest, _previous);

        // The next delta is against this round: if this round does not arrive, the migration fails and rolls back.
        _previous = digest;
        return new CapturedRound(transfer, transfer.PayloadBytes);
    }

    protected override async Task<CapturedRound> CaptureFinalRoundAsync(uint round, string dir, Func<RoundEndMessage> end, CancellationToken ct)
    {
        // Dump the paused container: it stays, paused, for rollback.
        await _containers.PauseAsync(ServiceId, ct);
        _paused = true;
        var finalDir = Path.Combine(dir, "final");
        await _containers.CheckpointAsync(ServiceId, finalDir, Path.Combine(dir, "work-final"), ct);
        var finalDigest = await ImageDigest.ComputeAsync(finalDir, ct);
        var final = TransferRound.FromDigest(round, final: true, finalDir, finalDigest, _previous, end);
        return new CapturedRound(final, final.PayloadBytes);
    }

    protected override Task RemoveSourceCopyAsync() => _containers.RemoveAsync(ServiceId, CancellationToken.None);

    /// <summary>Resumes the paused source; if it is gone, restores it from its own final images. True when the service runs here again.</summary>
    protected override async Task<bool> RollBackAsync(string dir)
    {
        var containers = _containers;
        try
        {
            var status = await containers.StatusAsync(ServiceId, CancellationToken.None);
            if (status == "paused")
            {
                await containers.ResumeAsync(ServiceId, CancellationToken.None);
            }
            else if (status is null && _paused && Directory.Exists(Path.Combine(dir, "final")))
            {
                await containers.RestoreAsync(ServiceId, Path.Combine(dir, "final"), Path.Combine(dir, "work-rollback"), CancellationToken.None);
            }

            var now = await containers.StatusAsync(ServiceId, CancellationToken.None);
            TryDelete(Path.GetDirectoryName(dir)!);
            return now == "running";
        }
        catch (Exception ex) when (ex is RuncException or IOException or InvalidOperationException)
        {
            LogRollbackFailed(_logger, MigrationId, ex.Message);
            return false;
        }
    }

    protected override async Task LogPlanAsync(MigrationMode mode)
    {
        var nativeTracking = await _containers.NativeDirtyTrackingAsync();
        LogPlan(_logger, MigrationId, mode, nativeTracking ? "available, not used: content diffing" : "unavailable: content diffing");
    }

    protected override void LogLiveRound(uint round, CapturedRound captured, double ms) =>
        LogRound(_logger, MigrationId, round, captured.Transfer.PayloadBytes, _previous!.TotalBytes, ms);

    protected override void LogRestoredOnTarget(double downtimeMs, double observedMs, long finalBytes) =>
        LogRestoredOnTarget(_logger, MigrationId, downtimeMs, observedMs, finalBytes);

    protected override void LogRollingBack(string reason) => LogRollingBack(_logger, MigrationId, reason);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Migration {MigrationId} (source): {Mode}; dirty tracking {Tracking}")]
    private static partial void LogPlan(ILogger logger, string migrationId, MigrationMode mode, string tracking);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Migration {MigrationId}: round {Round} sent {Delta} of {Total} image bytes in {Ms:0} ms")]
    private static partial void LogRound(ILogger logger, string migrationId, uint round, long delta, long total, double ms);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Migration {MigrationId}: live dump in round {Round} failed ({Reason}); continuing as stop-and-copy")]
    private static partial void LogFallback(ILogger logger, string migrationId, uint round, string reason);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Migration {MigrationId}: target restored; downtime {DowntimeMs:0.0} ms (source saw {ObservedMs:0.0} ms); final delta {FinalBytes} B")]
    private static partial void LogRestoredOnTarget(ILogger logger, string migrationId, double downtimeMs, double observedMs, long finalBytes);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Migration {MigrationId}: rolling back: {Reason}")]
    private static partial void LogRollingBack(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "Migration {MigrationId}: rollback failed: {Reason}")]
    private static partial void LogRollbackFailed(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Migration {MigrationId}: bundle sent ({Bytes} B, sha256 {Sha256})")]
    private static partial void LogBundleSent(ILogger logger, string migrationId, long bytes, string sha256);
}
