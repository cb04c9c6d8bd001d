using System.Text.Json;
using EdgeMigrate.EdgeAgent.Engines.Criu;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// The source side for a container containerd runs: sends the service manifest (base image, spec, CRI status), then
/// pre-copy rounds — each a leave-running dump by an external runc on the shim's runc root plus the writable layer from
/// containerd's Diff service, of which only changed 4 KiB blocks cross — then freezes through containerd (Tasks.Pause,
/// so the shim knows), dumps the paused task and its layer once more and waits for the target's restore. The paused
/// container stays until the silo commits (then CRI stops it at once and removes it); any failure or abort before that
/// resumes it through containerd (Tasks.Resume).
/// </summary>
public sealed partial class ContainerdSourceMigration : SourceMigrationLifecycle
{
    private const int ManifestChunk = 64 * 1024;
    private readonly ContainerdEngine _engine;
    private readonly ILogger _logger;
    private readonly CriuImageRounds _rounds = new();
    private ContainerdContainer? _container;
    private bool _paused;

    public ContainerdSourceMigration(MigrationContext context, ContainerdEngine engine, NodeCommandMessage command)
        : base(context, command)
    {
        _engine = engine;
        _logger = context.Loggers.CreateLogger<ContainerdSourceMigration>();
    }

    private ContainerdContainer Container => _container ?? throw new InvalidOperationException("not prepared");

    protected override async Task PrepareAsync(CancellationToken ct)
    {
        var service = await _engine.FindAsync(ServiceId, ct)
            ?? throw new ContainerdException($"service {ServiceId} has no running container in containerd (namespace {_engine.Connection.Namespace}) on {Context.Options.NodeId}");
        if (await _engine.TaskStatusAsync(service.ContainerId, ct) is not Api.Types.Status.Running and var status)
        {
            throw new ContainerdException($"the task of {RuncCheckpoint.Short(service.ContainerId)} is {status?.ToString() ?? "missing"}, not running");
        }

        _container = await _engine.InspectAsync(service, ct);
        LogPrepared(_logger, MigrationId, ServiceId, RuncCheckpoint.Short(service.ContainerId), _container.RuncRoot, _container.ImageName, _container.ImageDigest);
    }

    protected override async Task SendBundleAsync(TransferSender sender, string dir, CancellationToken ct)
    {
        var c = Container;
        var manifest = new ContainerdServiceManifest(
            ServiceId,
            c.Service.ContainerId,
            c.ImageName,
            c.ImageDigest,
            c.Spec,
            JsonFormatter.Default.Format(c.Status),
            JsonFormatter.Default.Format(c.Pod),
            c.Hostname);
        var bundleDir = Path.Combine(dir, "manifest");
        Directory.CreateDirectory(bundleDir);
        var path = Path.Combine(bundleDir, ContainerdServiceManifest.FileName);
        await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(manifest, ContainerdJsonContext.Default.ContainerdServiceManifest), ct);
        var length = new FileInfo(path).Length;
        var items = new List<TransferItem>();
        for (long offset = 0; offset < length; offset += ManifestChunk)
        {
            items.Add(new TransferItem(0, offset, (int)Math.Min(ManifestChunk, length - offset)));
        }

        await sender.SendRoundAsync(
            new TransferRound
            {
                Number = 0,
                Kind = TransferRound.BundleKind,
                Final = false,
                SourceDirectory = bundleDir,
                Files = [new ManifestFile(ContainerdServiceManifest.FileName, length, await ImageDigest.HashFileAsync(path, ct), null)],
                Items = items,
            },
            ct);
        Directory.Delete(bundleDir, recursive: true);
    }

    protected override async Task<CapturedRound?> CaptureLiveRoundAsync(uint round, string dir, CancellationToken ct)
    {
        var roundDir = Path.Combine(dir, $"round-{round}");
        try
        {
            await CaptureAsync(roundDir, Path.Combine(dir, $"work-{round}"), final: false, ct);
        }
        catch (ContainerdException ex)
        {
            // A failed live dump leaves the task running: continue as stop-and-copy (the final dump will say if it cannot work at all).
            LogFallback(_logger, MigrationId, round, ex.Message);
            return null;
        }

        return await _rounds.CaptureAsync(round, final: false, roundDir, end: null, ct);
    }

    protected override async Task<CapturedRound> CaptureFinalRoundAsync(uint round, string dir, Func<RoundEndMessage> end, CancellationToken ct)
    {
        await _engine.PauseAsync(Container.Service.ContainerId, ct);
        _paused = true;
        var finalDir = Path.Combine(dir, "final");
        await CaptureAsync(finalDir, Path.Combine(dir, "work-final"), final: true, ct);
        return await _rounds.CaptureAsync(round, final: true, finalDir, end, ct);
    }

    protected override Task RemoveSourceCopyAsync() => _engine.RemoveAsync(Container.Service, stopTimeoutSeconds: 0, CancellationToken.None);

    /// <summary>Resumes the paused task through containerd; true when the service runs here again.</summary>
    protected override async Task<bool> RollBackAsync(string dir)
    {
        TryDelete(Path.GetDirectoryName(dir)!);
        if (_container is not { } c)
        {
            // Nothing was frozen: the service runs as before, if it ran at all.
            return await _engine.FindAsync(ServiceId, CancellationToken.None) is not null;
        }

        try
        {
            var status = await _engine.TaskStatusAsync(c.Service.ContainerId, CancellationToken.None);
            if (status is Api.Types.Status.Paused or Api.Types.Status.Pausing)
            {
                await _engine.ResumeAsync(c.Service.ContainerId, CancellationToken.None);
            }

            return await _engine.TaskStatusAsync(c.Service.ContainerId, CancellationToken.None) == Api.Types.Status.Running;
        }
        catch (RpcException ex)
        {
            LogRollbackFailed(_logger, MigrationId, ex.Status.Detail);
            return false;
        }
    }

    protected override Task LogPlanAsync(MigrationMode mode)
    {
        LogPlan(_logger, MigrationId, mode);
        return Task.CompletedTask;
    }

    protected override void LogLiveRound(uint round, CapturedRound captured, double ms) =>
        LogRound(_logger, MigrationId, round, captured.Transfer.PayloadBytes, _rounds.LastTotalBytes, ms);

    protected override void LogRestoredOnTarget(double downtimeMs, double observedMs, long finalBytes) =>
        LogRestored(_logger, MigrationId, downtimeMs, observedMs, finalBytes, _paused);

    protected override void LogRollingBack(string reason) => LogRollingBack(_logger, MigrationId, reason);

    /// <summary>
    /// One round's files: CRIU's images of the task (leave-running, tcp-close) and the writable layer next to them. While
    /// the task runs, a file it appends to can grow under the Diff service (<c>archive/tar: write too long</c>): such a
    /// live round goes without the layer (it only pre-sends it); the final round, of the paused task, must have it.
    /// </summary>
    private async Task CaptureAsync(string imageDir, string workDir, bool final, CancellationToken ct)
    {
        var c = Container;
        await RuncCheckpoint.DumpAsync(c.RuncRoot, c.Service.ContainerId, imageDir, workDir, _engine.DumpCriuConfig, ct);
        var layer = Path.Combine(imageDir, RootfsDiff.FileName);
        try
        {
            await RootfsDiff.WriteAsync(_engine.Connection, c.Snapshotter, c.SnapshotKey, layer, _engine.Time, ct);
        }
        catch (RpcException ex) when (!final)
        {
            File.Delete(layer);
            LogLayerSkipped(_logger, MigrationId, ex.Status.Detail);
        }
        catch (RpcException ex)
        {
            throw new ContainerdException($"the writable layer of {RuncCheckpoint.Short(c.Service.ContainerId)} could not be taken through containerd's Diff service: {ex.Status.Detail}", ex);
        }
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Migration {MigrationId} (source): {ServiceId} is CRI container {ContainerId}, runc root {RuncRoot}, image {Image} ({Digest})")]
    private static partial void LogPrepared(ILogger logger, string migrationId, string serviceId, string containerId, string runcRoot, string image, string digest);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Migration {MigrationId} (source): {Mode} through containerd; content-diffed leave-running dumps, tcp-close")]
    private static partial void LogPlan(ILogger logger, string migrationId, MigrationMode mode);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Migration {MigrationId}: round {Round} sent {Delta} of {Total} bytes (images + writable layer) in {Ms:0} ms")]
    private static partial void LogRound(ILogger logger, string migrationId, uint round, long delta, long total, double ms);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Migration {MigrationId}: live dump in round {Round} failed ({Reason}); continuing as stop-and-copy")]
    private static partial void LogFallback(ILogger logger, string migrationId, uint round, string reason);

    [LoggerMessage(EventId = 8107, Level = LogLevel.Information, Message = "Migration {MigrationId}: this live round goes without the writable layer (it changed while containerd diffed it: {Reason}); the final round carries it")]
    private static partial void LogLayerSkipped(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "Migration {MigrationId}: target restored; downtime {DowntimeMs:0.0} ms (source saw {ObservedMs:0.0} ms); final delta {FinalBytes} B; source paused {Paused}")]
    private static partial void LogRestored(ILogger logger, string migrationId, double downtimeMs, double observedMs, long finalBytes, bool paused);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Warning, Message = "Migration {MigrationId}: rolling back: {Reason}")]
    private static partial void LogRollingBack(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Error, Message = "Migration {MigrationId}: rollback failed: {Reason}")]
    private static partial void LogRollbackFailed(ILogger logger, string migrationId, string reason);
}
