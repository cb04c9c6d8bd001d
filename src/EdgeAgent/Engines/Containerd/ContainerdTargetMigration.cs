using System.Text.Json;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models.Contracts;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// The target side for a container containerd runs. When the service manifest arrives (before any round) it checks that
/// this containerd has the same base image (by manifest digest) and makes the new pod, so neither costs downtime. After
/// the final round it writes a checkpoint archive (config.dump, spec.dump, status.dump, checkpoint/, rootfs-diff.tar)
/// and restores it through CRI (CreateContainer with the archive as image, StartContainer), with a short-lived
/// content-store registry answering containerd's pull of the base image. containerd then manages the container.
/// A failed restore reports CRIU's own error line (CRIU writes its log where the per-migration CRIU config says, since
/// the shim deletes its bundle on failure) and removes the half-made pod.
/// </summary>
public sealed partial class ContainerdTargetMigration : TargetMigrationLifecycle
{
    private readonly ContainerdEngine _engine;
    private readonly ILogger _logger;
    private ContainerdServiceManifest? _manifest;
    private Cri.PodSandboxConfig? _pod;
    private string? _podId;
    private string? _containerId;

    public ContainerdTargetMigration(MigrationContext context, ContainerdEngine engine, NodeCommandMessage command)
        : base(context, command)
    {
        _engine = engine;
        _logger = context.Loggers.CreateLogger<ContainerdTargetMigration>();
    }

    /// <summary>The restored CRI container (null until restored).</summary>
    public string? ContainerId => _containerId;

    protected override bool HasBundle(ReceiverSession session) => _podId is not null;

    protected override async Task RoundCompletedAsync(ReceiverSession session, RoundManifest manifest, CancellationToken ct)
    {
        if (manifest.Kind != TransferRound.BundleKind)
        {
            return;
        }

        var path = Path.Combine(session.Directory, ContainerdServiceManifest.FileName);
        var service = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(path, ct), ContainerdJsonContext.Default.ContainerdServiceManifest)
            ?? throw new ContainerdException("empty containerd service manifest");
        if (service.ServiceId != ServiceId)
        {
            throw new ContainerdException($"the manifest is for service {service.ServiceId}, this migration moves {ServiceId}");
        }

        // The same base image, by manifest digest (the writable layer only fits that image), under whatever name it has here.
        if (await _engine.LocalImageAsync(service.ImageName, service.ImageDigest, ct) is not { } localName)
        {
            var named = await _engine.ImageDigestAsync(service.ImageName, ct);
            throw new ContainerdException(named is null
                ? $"base image {service.ImageName} is not in containerd (namespace {_engine.Connection.Namespace}) on {Context.Options.NodeId}: import it there first (nothing is pulled)"
                : $"base image {service.ImageName} on {Context.Options.NodeId} is {named}, the source's is {service.ImageDigest}: the writable layer only fits the same image");
        }

        var here = service.ImageDigest;
        service = service with { ImageName = localName };

        var source = JsonParser.Default.Parse<Cri.PodSandboxStatus>(service.Pod);
        var name = source.Metadata?.Name is { Length: > 0 } n ? n : ContainerdEngine.PodNameOf(ServiceId);
        var podNamespace = source.Metadata?.Namespace is { Length: > 0 } ns ? ns : "edgemigrate";
        var labels = source.Labels.Where(l => !l.Key.StartsWith("io.kubernetes.", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        labels[ContainerdLabels.Service] = ServiceId;
        labels[ContainerdLabels.ManagedBy] = ContainerdLabels.ManagedByAgent;
        labels[ContainerdLabels.Migration] = MigrationId;
        var annotations = source.Annotations.Where(a => !a.Key.StartsWith("io.kubernetes.", StringComparison.Ordinal));
        _pod = PodSandboxConfigs.Create(name, podNamespace, service.Hostname ?? name, _engine.PodLogDirectory(podNamespace, name), labels, annotations);
        var started = Context.Time.GetTimestamp();
        _podId = await _engine.RunPodAsync(_pod, ct);
        _manifest = service;
        LogPodReady(_logger, MigrationId, service.ImageName, here, RuncCheckpoint.Short(_podId), Context.Time.GetElapsedTime(started).TotalMilliseconds);
    }

    protected override async Task<double> RestoreAsync(ReceiverSession session, CancellationToken ct)
    {
        var started = Context.Time.GetTimestamp();
        if (_manifest is not { } service || _pod is null || _podId is null)
        {
            throw new ContainerdException($"no service manifest or pod for {ServiceId} on this node: the bundle round did not complete");
        }

        var status = JsonParser.Default.Parse<Cri.ContainerStatus>(service.Status);
        try
        {
            var result = await CriRestore.RunAsync(
                _engine,
                new CriRestore.Request(_podId, _pod, session.ImagesDirectory, session.Directory, service.ContainerId, service.ImageName, service.ImageDigest, service.Spec, status, new Dictionary<string, string> { [ContainerdLabels.Service] = ServiceId }),
                _logger,
                ct);
            _containerId = result.ContainerId;
            Restored = true;
            var ms = Context.Time.GetElapsedTime(started).TotalMilliseconds;
            LogRestored(_logger, MigrationId, ServiceId, RuncCheckpoint.Short(result.ContainerId), result.ArchiveBytes, result.ArchiveMs, ms, result.RegistryRequests);
            return ms;
        }
        catch (ContainerdException ex)
        {
            throw new ContainerdException($"{ServiceId} on {Context.Options.NodeId}: {ex.Message}", ex);
        }
    }

    protected override async Task<bool> RemoveRestoredAsync()
    {
        if (_containerId is null || _podId is null)
        {
            return false;
        }

        await _engine.RemoveAsync(new ContainerdService(ServiceId, _containerId, _podId, "main", PodManagedByAgent: true), stopTimeoutSeconds: 10, CancellationToken.None);
        return true;
    }

    /// <summary>A discard before a successful restore removes the pod made for it (and a container a failed restore left in it).</summary>
    protected override void ReleaseStaged()
    {
        if (Restored || Interlocked.Exchange(ref _podId, null) is not { } podId)
        {
            return;
        }

        _ = RemoveHalfMadePodAsync(podId);
    }

    protected override void LogDiscarded(string reason) => LogDiscarded(_logger, MigrationId, reason);

    private async Task RemoveHalfMadePodAsync(string podId)
    {
        try
        {
            await _engine.RemovePodAsync(podId, CancellationToken.None);
            LogPodRemoved(_logger, MigrationId, RuncCheckpoint.Short(podId));
        }
        catch (RpcException ex)
        {
            LogPodRemoveFailed(_logger, MigrationId, RuncCheckpoint.Short(podId), ex.Status.Detail);
        }
    }

    [LoggerMessage(EventId = 8200, Level = LogLevel.Information, Message = "Migration {MigrationId} (target): base image {Image} is here ({Digest}); pod {PodId} ready in {Ms:0} ms")]
    private static partial void LogPodReady(ILogger logger, string migrationId, string image, string digest, string podId, double ms);

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Migration {MigrationId}: {ServiceId} restored through CRI as {ContainerId} (archive {Bytes} B written in {ArchiveMs:0} ms; running after {Ms:0} ms; {Requests} registry requests)")]
    private static partial void LogRestored(ILogger logger, string migrationId, string serviceId, string containerId, long bytes, double archiveMs, double ms, int requests);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Information, Message = "Migration {MigrationId} (target): discarded: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, string migrationId, string reason);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Information, Message = "Migration {MigrationId}: the pod {PodId} made for it was removed")]
    private static partial void LogPodRemoved(ILogger logger, string migrationId, string podId);

    [LoggerMessage(EventId = 8204, Level = LogLevel.Warning, Message = "Migration {MigrationId}: removing the pod {PodId} made for it failed: {Reason}")]
    private static partial void LogPodRemoveFailed(ILogger logger, string migrationId, string podId, string reason);
}
