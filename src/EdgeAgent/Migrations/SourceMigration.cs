using System.Text.Json;
using EdgeMigrate.EdgeAgent.Engines.Container;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// The source side: connect to the target, send the bundle if it lacks it, pre-copy rounds (leave-running
/// dumps, only changed 4 KiB blocks cross), then freeze (runc pause), a last dump of the paused container, the
/// final delta, and wait for the target's restore. The paused container stays until the silo commits; any
/// failure or abort before that resumes it (nothing is lost).
/// </summary>
public sealed partial class SourceMigration
{
    private const int BundleChunk = 64 * 1024;
    private readonly MigrationContext _context;
    private readonly NodeCommandMessage _command;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<bool> _commit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _abortReason;

    public SourceMigration(MigrationContext context, NodeCommandMessage command)
    {
        _context = context;
        _command = command;
        _logger = context.Loggers.CreateLogger<SourceMigration>();
    }

    public string MigrationId => _command.MigrationId;

    public string ServiceId => _command.ServiceId!;

    public Task<SourceMigrationResult>? Run { get; private set; }

    /// <summary>How long the source waits for the silo's commit after the target restored, before it removes its copy anyway.</summary>
    public static TimeSpan CommitWait { get; set; } = TimeSpan.FromMinutes(5);

    public void Start() => Run = Task.Run(RunAsync);

    public void Commit() => _commit.TrySetResult(true);

    public void Abort(string reason)
    {
        _abortReason = reason;
        _abort.Cancel();
        _commit.TrySetResult(false);
    }

    private async Task<SourceMigrationResult> RunAsync()
    {
        var ctx = _context;
        var started = ctx.Time.GetTimestamp();
        var limits = _command.Limits ?? new MigrationLimits();
        var dir = ctx.MigrationDirectory(MigrationId, "source");
        var ct = _abort.Token;
        var paused = false;
        long? freezeStart = null;
        var deltas = new List<long>();
        long finalDelta = 0;
        double? finalDumpMs = null;
        var liveRounds = 0;
        var hello = new HelloMessage(MigrationId, ServiceId, _command.Token!, ctx.Options.NodeId, _command.Workload);
        await using var sender = new TransferSender(_command.PeerEndpoint!, hello, ctx.TransferPipeline, ctx.Faults, ctx.Timeouts, ctx.Time, ctx.Loggers.CreateLogger<TransferSender>());
        try
        {
            var status = await ctx.Containers.StatusAsync(ServiceId, ct);
            if (status != "running")
            {
                throw new InvalidOperationException($"service {ServiceId} is not running on {ctx.Options.NodeId} (container status: {status ?? "none"})");
            }

            Directory.CreateDirectory(dir);
            var welcome = await sender.ConnectAsync(ct);
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Accepted);

            uint round = 1;
            if (!welcome.HasBundle)
            {
                await SendBundleAsync(sender, dir, ct);
            }

            ImageDigest? acked = null;
            var nativeTracking = await ctx.Containers.NativeDirtyTrackingAsync();
            LogPlan(_logger, MigrationId, _command.Mode ?? MigrationMode.PreCopy, nativeTracking ? "available, not used: content diffing" : "unavailable: content diffing");
            if ((_command.Mode ?? MigrationMode.PreCopy) == MigrationMode.PreCopy)
            {
                for (; round <= limits.MaxRounds; round++)
                {
                    var roundDir = Path.Combine(dir, $"round-{round}");
                    var roundStarted = ctx.Time.GetTimestamp();
                    ImageDigest digest;
                    try
                    {
                        await ctx.Containers.CheckpointAsync(ServiceId, roundDir, Path.Combine(dir, $"work-{round}"), ct);
                        digest = await ImageDigest.ComputeAsync(roundDir, ct);
                    }
                    catch (RuncException ex)
                    {
                        // A failed live dump leaves the container running: fall back to stop-and-copy from what the target has.
                        LogFallback(_logger, MigrationId, round, ex.Message);
                        break;
                    }

                    var transfer = TransferRound.FromDigest(round, final: false, roundDir, digest, acked);
                    var before = sender.BytesWritten;
                    await sender.SendRoundAsync(transfer, ct);
                    acked = digest;
                    Directory.Delete(roundDir, recursive: true);
                    var wire = sender.BytesWritten - before;
                    var seconds = ctx.Time.GetElapsedTime(roundStarted).TotalSeconds;
                    deltas.Add(transfer.PayloadBytes);
                    liveRounds++;
                    await ctx.PublishAsync(MigrationId, MigrationEventPhase.Round, round: (int)round, bytesSent: wire, dirtyBytes: transfer.PayloadBytes, rateMbps: wire * 8 / 1e6 / Math.Max(seconds, 1e-3));
                    LogRound(_logger, MigrationId, round, transfer.PayloadBytes, digest.TotalBytes, seconds * 1000);

                    var shrinking = deltas.Count < 2 || transfer.PayloadBytes < deltas[^2] * 0.9;
                    if ((round > 1 && transfer.PayloadBytes <= limits.StopThresholdBytes) || !shrinking)
                    {
                        round++;
                        break;
                    }
                }
            }

            // Final: freeze, dump the paused container (it stays, paused, for rollback), send the last delta.
            freezeStart = ctx.Time.GetTimestamp();
            await ctx.Containers.PauseAsync(ServiceId, ct);
            paused = true;
            var finalDir = Path.Combine(dir, "final");
            await ctx.Containers.CheckpointAsync(ServiceId, finalDir, Path.Combine(dir, "work-final"), ct);
            var finalDigest = await ImageDigest.ComputeAsync(finalDir, ct);
            finalDumpMs = ctx.Time.GetElapsedTime(freezeStart.Value).TotalMilliseconds;
            var frozenAt = freezeStart.Value;
            var final = TransferRound.FromDigest(round, final: true, finalDir, finalDigest, acked,
                () => new RoundEndMessage(ctx.Time.GetElapsedTime(frozenAt).TotalMilliseconds, sender.RttMs));
            finalDelta = final.PayloadBytes;
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Final, round: (int)round, bytesSent: final.PayloadBytes, dirtyBytes: final.PayloadBytes);
            var answer = await sender.SendRoundAsync(final, ct);
            var observed = ctx.Time.GetElapsedTime(frozenAt).TotalMilliseconds;
            if (answer.Header.Type != FrameType.Restored)
            {
                var reason = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? "restore failed";
                throw new InvalidOperationException($"the target could not restore: {reason}");
            }

            var restored = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.RestoredMessage)!;
            LogRestoredOnTarget(_logger, MigrationId, restored.DowntimeMs, observed, finalDelta);

            // The target runs the service. Keep the paused copy until the silo commits; abort still rolls back.
            var committed = await _commit.Task.WaitAsync(CommitWait, ctx.Time).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (bool?)null, TaskScheduler.Default);
            if (committed == false)
            {
                throw new OperationCanceledException($"aborted after the target restored: {_abortReason}");
            }

            await ctx.Containers.RemoveAsync(ServiceId, CancellationToken.None);
            TryDelete(Path.GetDirectoryName(dir)!);
            await ctx.ServicesChanged();
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Committed, bytesSent: sender.BytesWritten);
            ctx.Metrics.MigrationEnded("source", "committed");
            return Result("committed") with
            {
                DowntimeMs = restored.DowntimeMs,
                SourceObservedDowntimeMs = observed,
                RestoreMs = restored.RestoreMs,
                Error = committed is null ? "no commit from the silo in time; removed the source copy because the target confirmed a running restore" : null,
            };
        }
        catch (Exception ex)
        {
            var why = ex is OperationCanceledException && _abortReason is not null ? $"aborted: {_abortReason}" : ex.Message;
            LogRollingBack(_logger, MigrationId, why);
            await sender.AbortAsync(why);
            var resumed = await RollBackAsync(paused, dir);
            await ctx.PublishAsync(MigrationId, resumed ? MigrationEventPhase.RolledBack : MigrationEventPhase.Failed, bytesSent: sender.BytesWritten, error: why);
            ctx.Metrics.MigrationEnded("source", resumed ? "rolled-back" : "failed");
            return Result(resumed ? "rolled-back" : "failed") with { Error = why };
        }

        SourceMigrationResult Result(string outcome) => new()
        {
            MigrationId = MigrationId,
            Outcome = outcome,
            LiveRounds = liveRounds,
            WireBytes = sender.BytesWritten,
            FinalDeltaBytes = finalDelta,
            RoundDeltaBytes = deltas,
            TotalMs = ctx.Time.GetElapsedTime(started).TotalMilliseconds,
            FinalDumpMs = finalDumpMs,
            Connections = sender.Connections,
            Rewinds = sender.Rewinds,
        };
    }

    private async Task SendBundleAsync(TransferSender sender, string dir, CancellationToken ct)
    {
        var bundleDir = Path.Combine(dir, "bundle");
        Directory.CreateDirectory(bundleDir);
        var tar = Path.Combine(bundleDir, "bundle.tar");
        string sha = string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                sha = await BundleArchive.PackAsync(_context.Containers.BundleOf(ServiceId), tar, ct);
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

    /// <summary>Resumes the paused source; if it is gone, restores it from its own final images. True when the service runs here again.</summary>
    private async Task<bool> RollBackAsync(bool paused, string dir)
    {
        var containers = _context.Containers;
        try
        {
            var status = await containers.StatusAsync(ServiceId, CancellationToken.None);
            if (status == "paused")
            {
                await containers.ResumeAsync(ServiceId, CancellationToken.None);
            }
            else if (status is null && paused && Directory.Exists(Path.Combine(dir, "final")))
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

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next start-up's clean-up.
        }
    }

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
