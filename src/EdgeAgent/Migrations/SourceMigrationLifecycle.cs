using System.Text.Json;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// The source side's lifecycle, the same for every engine: connect to the target, send the bundle if it lacks
/// it, pre-copy rounds while the service keeps running, then freeze, send the final round and wait for the
/// target's restore. The frozen service stays until the silo commits; any failure or abort before that rolls
/// it back (nothing is lost). The engine supplies the steps: how a round is captured, how the service is
/// frozen, removed and resumed.
/// </summary>
public abstract class SourceMigrationLifecycle : IRunningMigration
{
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<bool> _commit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _abortReason;

    protected SourceMigrationLifecycle(MigrationContext context, NodeCommandMessage command)
    {
        Context = context;
        Command = command;
    }

    public string MigrationId => Command.MigrationId;

    public string ServiceId => Command.ServiceId!;

    public MigrationRole Role => MigrationRole.Source;

    public Task<SourceMigrationResult>? Run { get; private set; }

    /// <summary>How long the source waits for the silo's commit after the target restored, before it removes its copy anyway.</summary>
    public static TimeSpan CommitWait { get; set; } = TimeSpan.FromMinutes(5);

    protected MigrationContext Context { get; }

    protected NodeCommandMessage Command { get; }

    public void Start() => Run = Task.Run(RunAsync);

    public void Commit() => _commit.TrySetResult(true);

    public void Abort(string reason)
    {
        _abortReason = reason;
        _abort.Cancel();
        _commit.TrySetResult(false);
    }

    Task IRunningMigration.AbortAsync(string reason)
    {
        Abort(reason);
        return Task.CompletedTask;
    }

    /// <summary>Checks that the service runs here and can migrate, before anything is created or sent.</summary>
    protected abstract Task PrepareAsync(CancellationToken ct);

    /// <summary>Sends what the target needs to run the service (container bundle, wasm module) as the bundle round.</summary>
    protected abstract Task SendBundleAsync(TransferSender sender, string dir, CancellationToken ct);

    /// <summary>Captures pre-copy round <paramref name="round"/> of the running service; null ends pre-copy early (stop-and-copy from what the target has).</summary>
    protected abstract Task<CapturedRound?> CaptureLiveRoundAsync(uint round, string dir, CancellationToken ct);

    /// <summary>Freezes the service (it stays, frozen, for rollback) and captures the final round.</summary>
    protected abstract Task<CapturedRound> CaptureFinalRoundAsync(uint round, string dir, Func<RoundEndMessage> end, CancellationToken ct);

    /// <summary>The silo committed (or the commit wait ran out after a confirmed restore): removes the frozen service.</summary>
    protected abstract Task RemoveSourceCopyAsync();

    /// <summary>Runs the service here again and deletes the migration's directory; true when the service runs here again.</summary>
    protected abstract Task<bool> RollBackAsync(string dir);

    protected abstract Task LogPlanAsync(MigrationMode mode);

    protected abstract void LogLiveRound(uint round, CapturedRound captured, double ms);

    protected abstract void LogRestoredOnTarget(double downtimeMs, double observedMs, long finalBytes);

    protected abstract void LogRollingBack(string reason);

    /// <summary>Deletes a directory of this migration; a failure leaves it for the next start-up's clean-up.</summary>
    protected static void TryDelete(string dir)
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

    private async Task<SourceMigrationResult> RunAsync()
    {
        var ctx = Context;
        var started = ctx.Time.GetTimestamp();
        var limits = Command.Limits ?? new MigrationLimits();
        var mode = Command.Mode ?? MigrationMode.PreCopy;
        var dir = ctx.MigrationDirectory(MigrationId, "source");
        var ct = _abort.Token;
        var deltas = new List<long>();
        long finalDelta = 0;
        double? finalDumpMs = null;
        var liveRounds = 0;
        var hello = new HelloMessage(MigrationId, ServiceId, Command.Token!, ctx.Options.NodeId, Command.Workload);
        await using var sender = new TransferSender(Command.PeerEndpoint!, hello, ctx.TransferPipeline, ctx.Faults, ctx.Timeouts, ctx.Time, ctx.Loggers.CreateLogger<TransferSender>());
        try
        {
            await PrepareAsync(ct);
            Directory.CreateDirectory(dir);
            var welcome = await sender.ConnectAsync(ct);
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Accepted);
            if (!welcome.HasBundle)
            {
                await SendBundleAsync(sender, dir, ct);
            }

            uint round = 1;
            await LogPlanAsync(mode);
            if (mode == MigrationMode.PreCopy)
            {
                for (; round <= limits.MaxRounds; round++)
                {
                    var roundStarted = ctx.Time.GetTimestamp();
                    if (await CaptureLiveRoundAsync(round, dir, ct) is not { } captured)
                    {
                        break;
                    }

                    var transfer = captured.Transfer;
                    var before = sender.BytesWritten;
                    await sender.SendRoundAsync(transfer, ct);
                    Directory.Delete(transfer.SourceDirectory, recursive: true);
                    var wire = sender.BytesWritten - before;
                    var seconds = ctx.Time.GetElapsedTime(roundStarted).TotalSeconds;
                    deltas.Add(transfer.PayloadBytes);
                    liveRounds++;
                    await ctx.PublishAsync(MigrationId, MigrationEventPhase.Round, round: (int)round, bytesSent: wire, dirtyBytes: captured.DirtyBytes, rateMbps: wire * 8 / 1e6 / Math.Max(seconds, 1e-3));
                    LogLiveRound(round, captured, seconds * 1000);

                    var shrinking = deltas.Count < 2 || transfer.PayloadBytes < deltas[^2] * 0.9;
                    if ((round > 1 && captured.DirtyBytes <= limits.StopThresholdBytes) || !shrinking)
                    {
                        round++;
                        break;
                    }
                }
            }

            // Final: freeze (the frozen service stays for rollback), capture and send the last delta.
            var freezeStart = ctx.Time.GetTimestamp();
            var final = await CaptureFinalRoundAsync(round, dir, () => new RoundEndMessage(ctx.Time.GetElapsedTime(freezeStart).TotalMilliseconds, sender.RttMs), ct);
            finalDumpMs = ctx.Time.GetElapsedTime(freezeStart).TotalMilliseconds;
            finalDelta = final.Transfer.PayloadBytes;
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Final, round: (int)round, bytesSent: finalDelta, dirtyBytes: final.DirtyBytes);
            var answer = await sender.SendRoundAsync(final.Transfer, ct);
            var observed = ctx.Time.GetElapsedTime(freezeStart).TotalMilliseconds;
            if (answer.Header.Type != FrameType.Restored)
            {
                var reason = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? "restore failed";
                throw new InvalidOperationException($"the target could not restore: {reason}");
            }

            var restored = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.RestoredMessage)!;
            LogRestoredOnTarget(restored.DowntimeMs, observed, finalDelta);

            // The target runs the service. Keep the frozen copy until the silo commits; abort still rolls back.
            var committed = await _commit.Task.WaitAsync(CommitWait, ctx.Time).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (bool?)null, TaskScheduler.Default);
            if (committed == false)
            {
                throw new OperationCanceledException($"aborted after the target restored: {_abortReason}");
            }

            await RemoveSourceCopyAsync();
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
            LogRollingBack(why);
            await sender.AbortAsync(why);
            var resumed = await RollBackAsync(dir);
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
}
