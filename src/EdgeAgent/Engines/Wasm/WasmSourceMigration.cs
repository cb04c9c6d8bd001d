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
public sealed partial class WasmSourceMigration : SourceMigrationLifecycle
{
    public const string ModuleFile = "module.wasm";
    public const string StateFile = "state.emws";
    private const int ItemBytes = 64 * 1024;
    private readonly WasmEngine _engine;
    private readonly ILogger _logger;
    private WasmService? _service;
    private WasmMigrationSource? _migration;

    public WasmSourceMigration(MigrationContext context, WasmEngine engine, NodeCommandMessage command)
        : base(context, command)
    {
        _engine = engine;
        _logger = context.Loggers.CreateLogger<WasmSourceMigration>();
    }

    private WasmService Service => _service ?? throw new InvalidOperationException("the migration was not prepared");

    private WasmMigrationSource Migration => _migration ?? throw new InvalidOperationException("the migration was not prepared");

    protected override Task PrepareAsync(CancellationToken ct)
    {
        _service = _engine.Find(ServiceId)
            ?? throw new InvalidOperationException($"wasm service {ServiceId} does not run on {Context.Options.NodeId}");

        // Refuses a module that breaks the workload contract before anything is read or sent.
        _migration = _service.Workload.BeginMigration(new WasmMigrationOptions { TimeProvider = Context.Time });
        return Task.CompletedTask;
    }

    /// <summary>The module as the bundle round (verified by xxHash128 on arrival; its SHA-256 is checked by every chunk).</summary>
    protected override async Task SendBundleAsync(TransferSender sender, string dir, CancellationToken ct)
    {
        var moduleDir = Path.Combine(dir, "module");
        Directory.CreateDirectory(moduleDir);
        var path = Path.Combine(moduleDir, ModuleFile);
        File.Copy(_engine.ModulePathOf(ServiceId), path, overwrite: true);
        var round = await FileRoundAsync(0, TransferRound.BundleKind, final: false, moduleDir, ModuleFile, null, ct);
        await sender.SendRoundAsync(round, ct);
        LogModuleSent(_logger, MigrationId, round.PayloadBytes, Service.Image.ToString());
        Directory.Delete(moduleDir, recursive: true);
    }

    protected override async Task<CapturedRound?> CaptureLiveRoundAsync(uint round, string dir, CancellationToken ct)
    {
        var chunk = await Migration.NextRoundAsync(ct);
        var transfer = await ChunkRoundAsync(round, final: false, chunk, Path.Combine(dir, $"round-{round}"), null, ct);
        return new CapturedRound(transfer, chunk.PageBytes);
    }

    protected override async Task<CapturedRound> CaptureFinalRoundAsync(uint round, string dir, Func<RoundEndMessage> end, CancellationToken ct)
    {
        // Wait for the in-flight call and hold the gate (requests queue), then the last delta.
        var final = await Migration.FreezeAsync(ct);
        var finalRound = await ChunkRoundAsync(round, final: true, final, Path.Combine(dir, "final"), end, ct);
        return new CapturedRound(finalRound, final.PageBytes);
    }

    protected override Task RemoveSourceCopyAsync()
    {
        Migration.Complete(); // queued requests learn that the service moved
        _engine.Remove(ServiceId, movedTo: Command.PeerNodeId ?? Command.PeerEndpoint);
        return Task.CompletedTask;
    }

    protected override Task<bool> RollBackAsync(string dir)
    {
        _migration?.Resume();
        TryDelete(Path.GetDirectoryName(dir)!);
        return Task.FromResult(_engine.Find(ServiceId)?.Workload.Status == WasmWorkloadStatus.Running);
    }

    protected override Task LogPlanAsync(MigrationMode mode)
    {
        LogPlan(_logger, MigrationId, mode, Service.Image.ToString(), Service.Workload.MemoryBytes);
        return Task.CompletedTask;
    }

    protected override void LogLiveRound(uint round, CapturedRound captured, double ms)
    {
        var stats = Migration.Rounds[^1];
        LogRound(_logger, MigrationId, round, stats.PagesSent, stats.PagesScanned, captured.Transfer.PayloadBytes, ms);
    }

    protected override void LogRestoredOnTarget(double downtimeMs, double observedMs, long finalBytes) =>
        LogRestoredOnTarget(_logger, MigrationId, downtimeMs, observedMs, finalBytes);

    protected override void LogRollingBack(string reason) => LogRollingBack(_logger, MigrationId, reason);

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
