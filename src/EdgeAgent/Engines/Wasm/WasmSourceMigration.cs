using System.Text.Json;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.EdgeAgent.Wasm;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>
/// The source side of a WebAssembly migration, over the agents' transfer protocol. The module goes first (the
/// "bundle" round, one file <c>module.wasm</c>) unless the target already has it; each pre-copy round is one
/// <see cref="WasmStateChunk"/> (the 64 KiB pages whose hash changed) sent as one file <c>state.emws</c>; the
/// final round is the frozen chunk (last delta, globals, table checks, /data). The workload keeps serving
/// during the rounds; the freeze waits for the in-flight call. The frozen workload stays until the silo
/// commits; any failure or abort before that resumes it (queued requests are then served here).
/// </summary>
public sealed partial class WasmSourceMigration
{
    public const string ModuleFile = "module.wasm";
    public const string StateFile = "state.emws";
    private const int ItemBytes = 64 * 1024;
    private readonly MigrationContext _context;
    private readonly WasmEngine _engine;
    private readonly NodeCommandMessage _command;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<bool> _commit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _abortReason;

    public WasmSourceMigration(MigrationContext context, WasmEngine engine, NodeCommandMessage command)
    {
        _context = context;
        _engine = engine;
        _command = command;
        _logger = context.Loggers.CreateLogger<WasmSourceMigration>();
    }

    public string MigrationId => _command.MigrationId;

    public string ServiceId => _command.ServiceId!;

    public Task<SourceMigrationResult>? Run { get; private set; }

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
        var deltas = new List<long>();
        long finalDelta = 0;
        double? freezeMs = null;
        var liveRounds = 0;
        WasmMigrationSource? migration = null;
        var hello = new HelloMessage(MigrationId, ServiceId, _command.Token!, ctx.Options.NodeId, _command.Workload);
        await using var sender = new TransferSender(_command.PeerEndpoint!, hello, ctx.TransferPipeline, ctx.Faults, ctx.Timeouts, ctx.Time, ctx.Loggers.CreateLogger<TransferSender>());
        try
        {
            var service = _engine.Find(ServiceId)
                ?? throw new InvalidOperationException($"wasm service {ServiceId} does not run on {ctx.Options.NodeId}");

            // Refuses a module that breaks the workload contract before anything is read or sent.
            migration = service.Workload.BeginMigration(new WasmMigrationOptions { TimeProvider = ctx.Time });
            Directory.CreateDirectory(dir);
            var welcome = await sender.ConnectAsync(ct);
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Accepted);
            if (!welcome.HasBundle)
            {
                await SendModuleAsync(sender, service, dir, ct);
            }

            uint round = 1;
            LogPlan(_logger, MigrationId, _command.Mode ?? MigrationMode.PreCopy, service.Image.ToString(), service.Workload.MemoryBytes);
            if ((_command.Mode ?? MigrationMode.PreCopy) == MigrationMode.PreCopy)
            {
                for (; round <= limits.MaxRounds; round++)
                {
                    var roundStarted = ctx.Time.GetTimestamp();
                    var chunk = await migration.NextRoundAsync(ct);
                    var transfer = await ChunkRoundAsync(round, final: false, chunk, Path.Combine(dir, $"round-{round}"), null, ct);
                    var before = sender.BytesWritten;
                    await sender.SendRoundAsync(transfer, ct);
                    Directory.Delete(transfer.SourceDirectory, recursive: true);
                    var wire = sender.BytesWritten - before;
                    var seconds = ctx.Time.GetElapsedTime(roundStarted).TotalSeconds;
                    var stats = migration.Rounds[^1];
                    deltas.Add(transfer.PayloadBytes);
                    liveRounds++;
                    await ctx.PublishAsync(MigrationId, MigrationEventPhase.Round, round: (int)round, bytesSent: wire, dirtyBytes: chunk.PageBytes, rateMbps: wire * 8 / 1e6 / Math.Max(seconds, 1e-3));
                    LogRound(_logger, MigrationId, round, stats.PagesSent, stats.PagesScanned, transfer.PayloadBytes, seconds * 1000);

                    var shrinking = deltas.Count < 2 || transfer.PayloadBytes < deltas[^2] * 0.9;
                    if ((round > 1 && chunk.PageBytes <= limits.StopThresholdBytes) || !shrinking)
                    {
                        round++;
                        break;
                    }
                }
            }

            // Final: wait for the in-flight call and hold the gate (requests queue), then the last delta.
            var freezeStart = ctx.Time.GetTimestamp();
            var final = await migration.FreezeAsync(ct);
            var finalRound = await ChunkRoundAsync(round, final: true, final, Path.Combine(dir, "final"),
                () => new RoundEndMessage(ctx.Time.GetElapsedTime(freezeStart).TotalMilliseconds, sender.RttMs), ct);
            freezeMs = ctx.Time.GetElapsedTime(freezeStart).TotalMilliseconds;
            finalDelta = finalRound.PayloadBytes;
            await ctx.PublishAsync(MigrationId, MigrationEventPhase.Final, round: (int)round, bytesSent: finalDelta, dirtyBytes: final.PageBytes);
            var answer = await sender.SendRoundAsync(finalRound, ct);
            var observed = ctx.Time.GetElapsedTime(freezeStart).TotalMilliseconds;
            if (answer.Header.Type != FrameType.Restored)
            {
                var reason = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? "restore failed";
                throw new InvalidOperationException($"the target could not restore: {reason}");
            }

            var restored = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.RestoredMessage)!;
            LogRestoredOnTarget(_logger, MigrationId, restored.DowntimeMs, observed, finalDelta);

            // The target serves. Keep the frozen instance until the silo commits; abort still rolls back.
            var committed = await _commit.Task.WaitAsync(SourceMigration.CommitWait, ctx.Time).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (bool?)null, TaskScheduler.Default);
            if (committed == false)
            {
                throw new OperationCanceledException($"aborted after the target restored: {_abortReason}");
            }

            migration.Complete(); // queued requests learn that the service moved
            _engine.Remove(ServiceId, movedTo: _command.PeerNodeId ?? _command.PeerEndpoint);
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
            migration?.Resume();
            TryDelete(Path.GetDirectoryName(dir)!);
            var resumed = _engine.Find(ServiceId)?.Workload.Status == WasmWorkloadStatus.Running;
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
            FinalDumpMs = freezeMs,
            Connections = sender.Connections,
            Rewinds = sender.Rewinds,
        };
    }

    /// <summary>The module as the bundle round (verified by xxHash128 on arrival; its SHA-256 is checked by every chunk).</summary>
    private async Task SendModuleAsync(TransferSender sender, WasmService service, string dir, CancellationToken ct)
    {
        var moduleDir = Path.Combine(dir, "module");
        Directory.CreateDirectory(moduleDir);
        var path = Path.Combine(moduleDir, ModuleFile);
        File.Copy(_engine.ModulePathOf(ServiceId), path, overwrite: true);
        var round = await FileRoundAsync(0, TransferRound.BundleKind, final: false, moduleDir, ModuleFile, null, ct);
        await sender.SendRoundAsync(round, ct);
        LogModuleSent(_logger, MigrationId, round.PayloadBytes, service.Image.ToString());
        Directory.Delete(moduleDir, recursive: true);
    }

    private static async Task<TransferRound> ChunkRoundAsync(uint number, bool final, WasmStateChunk chunk, string roundDir, Func<RoundEndMessage>? end, CancellationToken ct)
    {
        Directory.CreateDirectory(roundDir);
        await File.WriteAllBytesAsync(Path.Combine(roundDir, StateFile), chunk.ToArray(), ct);
        return await FileRoundAsync(number, TransferRound.ImagesKind, final, roundDir, StateFile, end, ct);
    }

    /// <summary>A round of one whole file, in data frames of 64 KiB (no SHA-256: an arm64 node may have no OpenSSL).</summary>
    private static async Task<TransferRound> FileRoundAsync(uint number, string kind, bool final, string directory, string file, Func<RoundEndMessage>? end, CancellationToken ct)
    {
        var path = Path.Combine(directory, file);
        var length = new FileInfo(path).Length;
        var items = new List<TransferItem>();
        for (long offset = 0; offset < length; offset += ItemBytes)
        {
            items.Add(new TransferItem(0, offset, (int)Math.Min(ItemBytes, length - offset)));
        }

        return new TransferRound
        {
            Number = number,
            Kind = kind,
            Final = final,
            SourceDirectory = directory,
            Files = [new ManifestFile(file, length, await ImageDigest.HashFileAsync(path, ct), null)],
            Items = items,
            End = end,
        };
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

    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Migration {MigrationId} (wasm source): {Mode} of {Module}, {MemoryBytes} B of linear memory")]
    private static partial void LogPlan(ILogger logger, string migrationId, MigrationMode mode, string module, long memoryBytes);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Migration {MigrationId}: round {Round} sent {PagesSent} of {PagesScanned} pages ({Bytes} B chunk) in {Ms:0} ms")]
    private static partial void LogRound(ILogger logger, string migrationId, uint round, int pagesSent, int pagesScanned, long bytes, double ms);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "Migration {MigrationId}: target restored; downtime {DowntimeMs:0.0} ms (source saw {ObservedMs:0.0} ms); final chunk {FinalBytes} B")]
    private static partial void LogRestoredOnTarget(ILogger logger, string migrationId, double downtimeMs, double observedMs, long finalBytes);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Migration {MigrationId} (wasm source): rolling back: {Reason}")]
    private static partial void LogRollingBack(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Migration {MigrationId}: module sent ({Bytes} B, {Module})")]
    private static partial void LogModuleSent(ILogger logger, string migrationId, long bytes, string module);
}
