using System.Text.Json.Nodes;
using EdgeMigrate.EdgeAgent.Engines.Container;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;
using CdContainers = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Containers;
using CdImages = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Images;
using CdTasks = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Tasks;
using RuncOptions = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Runc.Options;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// Services that containerd runs, as on a K3s node: CRI containers in namespace k8s.io whose pod (or the container itself)
/// carries the label <c>edgemigrate.io/service=ID</c>. The source checkpoints them with an external
/// <c>runc --root &lt;the shim's runc root&gt; checkpoint --leave-running</c> (containerd keeps managing the task),
/// freezes them with containerd's own Tasks.Pause, and takes the writable layer from containerd's Diff service. The
/// target restores through CRI from a checkpoint archive (containerd ≥ 2.1), so its containerd manages the restored
/// container: listed, stoppable, its exit and new log lines seen by containerd. All through containerd's gRPC API;
/// runc is used only for the checkpoint, which containerd's API cannot do leave-running with TCP options.
/// TCP policy: tcp-close (the restored pod has a new address; clients reconnect through the endpoint message).
/// </summary>
public sealed partial class ContainerdEngine : IMigrationEngine, IDisposable
{
    /// <summary>runc's default state root in containerd's runc shim when the runtime options name none (a stock K3s node).</summary>
    public const string DefaultShimRuncRoot = "/run/containerd/runc";

    private static readonly EngineCapabilities Supported = new() { Modes = new HashSet<MigrationMode> { MigrationMode.PreCopy, MigrationMode.StopAndCopy } };
    private readonly AgentOptions _options;
    private readonly ILogger<ContainerdEngine> _logger;
    private readonly Lazy<ContainerdConnection> _connection;

    public ContainerdEngine(IOptions<AgentOptions> options, TimeProvider time, ILogger<ContainerdEngine> logger)
    {
        _options = options.Value;
        Time = time;
        _logger = logger;
        _connection = new(() => new ContainerdConnection(_options.ContainerdSocket ?? throw new InvalidOperationException("no --containerd-socket"), _options.ContainerdNamespace));
    }

    public WorkloadEngine Kind => WorkloadEngine.Containerd;

    /// <summary>Pre-copy (content-diffed leave-running dumps) and stop-and-copy; no lazy pages.</summary>
    public EngineCapabilities Capabilities => Supported;

    public string? UnavailableReason =>
        _options.ContainerdSocket is not { } socket ? "no --containerd-socket given"
        : !File.Exists(socket) ? $"containerd socket {socket} does not exist"
        : ProcessRunner.Which("runc") is null || ProcessRunner.Which("criu") is null ? "runc or criu missing on PATH (the checkpoint runs runc on containerd's runc root)"
        : null;

    public ContainerdConnection Connection => _connection.Value;

    public TimeProvider Time { get; }

    /// <summary>Where this engine keeps its files: CRIU configs, pod logs of pods it made.</summary>
    public string WorkDirectory => Path.Combine(_options.WorkDir, "containerd");

    /// <summary>
    /// The CRIU config the source's dumps use. tcp-close: connected clients do not block the dump (they reconnect to the
    /// new pod). skip-in-flight: a client that reconnects while the task is frozen leaves a half-accepted connection in
    /// the listen queue, which CRIU otherwise refuses to dump (<c>inet: In-flight connection</c>); it is dropped instead.
    /// </summary>
    public string DumpCriuConfig
    {
        get
        {
            const string Content = "tcp-close\nskip-in-flight\n";
            var path = Path.Combine(WorkDirectory, "criu-dump.conf");
            if (!File.Exists(path) || File.ReadAllText(path) != Content)
            {
                Directory.CreateDirectory(WorkDirectory);
                File.WriteAllText(path, Content);
            }

            return path;
        }
    }

    public SourceMigrationLifecycle CreateSource(MigrationContext context, NodeCommandMessage command) => new ContainerdSourceMigration(context, this, command);

    public TargetMigrationLifecycle CreateTarget(MigrationContext context, NodeCommandMessage command) => new ContainerdTargetMigration(context, this, command);

    /// <summary>The services' containers this containerd runs now (running or paused: CRI shows a paused task as running).</summary>
    public async Task<IReadOnlyList<ContainerdService>> FindServicesAsync(CancellationToken cancellationToken)
    {
        var cri = Connection.Cri;
        var pods = (await cri.ListPodSandboxAsync(new Cri.ListPodSandboxRequest(), ContainerdConnection.Plain(cancellationToken))).Items.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var running = new Cri.ListContainersRequest { Filter = new Cri.ContainerFilter { State = new Cri.ContainerStateValue { State = Cri.ContainerState.ContainerRunning } } };
        var services = new List<ContainerdService>();
        foreach (var container in (await cri.ListContainersAsync(running, ContainerdConnection.Plain(cancellationToken))).Containers)
        {
            var pod = pods.GetValueOrDefault(container.PodSandboxId);
            var serviceId = container.Labels.GetValueOrDefault(ContainerdLabels.Service) ?? pod?.Labels.GetValueOrDefault(ContainerdLabels.Service);
            if (serviceId is not null && EntityId.IsValid(serviceId))
            {
                var managed = pod?.Labels.GetValueOrDefault(ContainerdLabels.ManagedBy) == ContainerdLabels.ManagedByAgent;
                services.Add(new ContainerdService(serviceId, container.Id, container.PodSandboxId, container.Metadata?.Name ?? "main", managed));
            }
        }

        return services;
    }

    /// <summary>The one running container of <paramref name="serviceId"/>; null when there is none; a refusal when there are several.</summary>
    public async Task<ContainerdService?> FindAsync(string serviceId, CancellationToken cancellationToken)
    {
        var matches = (await FindServicesAsync(cancellationToken)).Where(s => s.ServiceId == serviceId).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new ContainerdException($"service {serviceId} has {matches.Count} running containers here ({string.Join(", ", matches.Select(m => RuncCheckpoint.Short(m.ContainerId)))}); the containerd engine moves one container per service"),
        };
    }

    public async Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken)
    {
        if (UnavailableReason is not null)
        {
            return [];
        }

        try
        {
            return [.. (await FindServicesAsync(cancellationToken)).Select(s => s.ServiceId).Distinct(StringComparer.Ordinal)];
        }
        catch (RpcException ex)
        {
            LogListFailed(_logger, ex.Status.Detail);
            return [];
        }
    }

    /// <summary>What the source needs to checkpoint the container, read from containerd (native API and CRI).</summary>
    internal async Task<ContainerdContainer> InspectAsync(ContainerdService service, CancellationToken cancellationToken)
    {
        var containerd = Connection;
        var container = (await containerd.Containers.GetAsync(new CdContainers.GetContainerRequest { Id = service.ContainerId }, containerd.Native(cancellationToken))).Container;
        var runtimeRoot = container.Runtime?.Options is { } any && any.TypeUrl.EndsWith("containerd.runc.v1.Options", StringComparison.Ordinal)
            ? RuncOptions.Parser.ParseFrom(any.Value).Root
            : string.Empty;
        var runcRoot = Path.Combine(runtimeRoot.Length > 0 ? runtimeRoot : DefaultShimRuncRoot, containerd.Namespace);
        var spec = container.Spec?.Value.ToStringUtf8() ?? throw new ContainerdException($"container {RuncCheckpoint.Short(service.ContainerId)} has no OCI spec");
        var image = (await containerd.Images.GetAsync(new CdImages.GetImageRequest { Name = container.Image }, containerd.Native(cancellationToken))).Image;
        var status = (await containerd.Cri.ContainerStatusAsync(new Cri.ContainerStatusRequest { ContainerId = service.ContainerId }, ContainerdConnection.Plain(cancellationToken))).Status;
        var pod = (await containerd.Cri.PodSandboxStatusAsync(new Cri.PodSandboxStatusRequest { PodSandboxId = service.PodSandboxId }, ContainerdConnection.Plain(cancellationToken))).Status;
        var hostname = (string?)JsonNode.Parse(spec)?["hostname"];
        return new ContainerdContainer(service, runcRoot, spec, container.Image, image.Target.Digest, container.Snapshotter, container.SnapshotKey, status, pod, hostname);
    }

    /// <summary>containerd's task state of a container (RUNNING, PAUSED, …); null when it has no task.</summary>
    internal async Task<Api.Types.Status?> TaskStatusAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return (await Connection.Tasks.GetAsync(new CdTasks.GetRequest { ContainerId = containerId }, Connection.Native(cancellationToken))).Process.Status;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task PauseAsync(string containerId, CancellationToken cancellationToken) =>
        await Connection.Tasks.PauseAsync(new CdTasks.PauseTaskRequest { ContainerId = containerId }, Connection.Native(cancellationToken));

    public async Task ResumeAsync(string containerId, CancellationToken cancellationToken) =>
        await Connection.Tasks.ResumeAsync(new CdTasks.ResumeTaskRequest { ContainerId = containerId }, Connection.Native(cancellationToken));

    /// <summary>Digest of the manifest <paramref name="imageName"/> points to here; null when this containerd does not have the image.</summary>
    public async Task<string?> ImageDigestAsync(string imageName, CancellationToken cancellationToken)
    {
        try
        {
            return (await Connection.Images.GetAsync(new CdImages.GetImageRequest { Name = imageName }, Connection.Native(cancellationToken))).Image.Target.Digest;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// A local image whose manifest digest is <paramref name="digest"/>: <paramref name="preferredName"/> when it is that
    /// image, else any name for it (a container restored through CRI names its image by the reference it was "pulled"
    /// by, which no other node has); null when this containerd has no image with that digest.
    /// </summary>
    public async Task<string?> LocalImageAsync(string preferredName, string digest, CancellationToken cancellationToken)
    {
        if (await ImageDigestAsync(preferredName, cancellationToken) == digest)
        {
            return preferredName;
        }

        var images = await Connection.Images.ListAsync(new CdImages.ListImagesRequest { Filters = { $"target.digest=={digest}" } }, Connection.Native(cancellationToken));
        return images.Images.Select(i => i.Name).Where(n => !n.StartsWith("localhost:", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault()
            ?? images.Images.Select(i => i.Name).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>Runs the launch's image (already in this containerd) in a new pod labelled with the service, unless the service already runs here.</summary>
    public async Task StartServiceAsync(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (await FindAsync(launch.ServiceId, cancellationToken) is { } running)
        {
            LogAlreadyRunning(_logger, launch.ServiceId, RuncCheckpoint.Short(running.ContainerId));
            return;
        }

        if (await ImageDigestAsync(launch.Source, cancellationToken) is null)
        {
            throw new ContainerdException($"image {launch.Source} is not in containerd (namespace {Connection.Namespace}) on {_options.NodeId}: import it first (nothing is pulled)");
        }

        var name = PodNameOf(launch.ServiceId);
        var pod = PodSandboxConfigs.Create(
            name,
            "edgemigrate",
            name,
            PodLogDirectory("edgemigrate", name),
            [new(ContainerdLabels.Service, launch.ServiceId), new(ContainerdLabels.ManagedBy, ContainerdLabels.ManagedByAgent)],
            []);
        var podId = await RunPodAsync(pod, cancellationToken);
        try
        {
            var config = new Cri.ContainerConfig
            {
                Metadata = new Cri.ContainerMetadata { Name = "main" },
                Image = new Cri.ImageSpec { Image = launch.Source },
                LogPath = "main.log",
                Labels = { [ContainerdLabels.Service] = launch.ServiceId },
                Linux = PodSandboxConfigs.ContainerLinux(),
            };
            var created = await Connection.Cri.CreateContainerAsync(new Cri.CreateContainerRequest { PodSandboxId = podId, Config = config, SandboxConfig = pod }, ContainerdConnection.Plain(cancellationToken));
            await Connection.Cri.StartContainerAsync(new Cri.StartContainerRequest { ContainerId = created.ContainerId }, ContainerdConnection.Plain(cancellationToken));
            LogStarted(_logger, launch.ServiceId, launch.Source, RuncCheckpoint.Short(created.ContainerId));
        }
        catch
        {
            await RemovePodAsync(podId, CancellationToken.None);
            throw;
        }
    }

    public async Task<bool> RemoveServiceAsync(string serviceId, CancellationToken cancellationToken)
    {
        if (await FindAsync(serviceId, cancellationToken) is not { } service)
        {
            return false;
        }

        await RemoveAsync(service, stopTimeoutSeconds: 10, cancellationToken);
        return true;
    }

    /// <summary>
    /// Stops and removes the service's container, and its pod when the agent made it. <paramref name="stopTimeoutSeconds"/> 0
    /// kills at once: a paused (frozen) container would ignore SIGTERM for the whole grace period.
    /// </summary>
    public async Task RemoveAsync(ContainerdService service, long stopTimeoutSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var cri = Connection.Cri;
        await cri.StopContainerAsync(new Cri.StopContainerRequest { ContainerId = service.ContainerId, Timeout = stopTimeoutSeconds }, ContainerdConnection.Plain(cancellationToken));
        await cri.RemoveContainerAsync(new Cri.RemoveContainerRequest { ContainerId = service.ContainerId }, ContainerdConnection.Plain(cancellationToken));
        if (service.PodManagedByAgent)
        {
            await RemovePodAsync(service.PodSandboxId, cancellationToken);
        }

        LogRemoved(_logger, service.ServiceId, RuncCheckpoint.Short(service.ContainerId));
    }

    internal async Task<string> RunPodAsync(Cri.PodSandboxConfig pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        Directory.CreateDirectory(pod.LogDirectory);
        return (await Connection.Cri.RunPodSandboxAsync(new Cri.RunPodSandboxRequest { Config = pod }, ContainerdConnection.Plain(cancellationToken))).PodSandboxId;
    }

    /// <summary>Stops and removes a pod sandbox (and whatever still runs in it).</summary>
    public async Task RemovePodAsync(string podSandboxId, CancellationToken cancellationToken)
    {
        await Connection.Cri.StopPodSandboxAsync(new Cri.StopPodSandboxRequest { PodSandboxId = podSandboxId }, ContainerdConnection.Plain(cancellationToken));
        await Connection.Cri.RemovePodSandboxAsync(new Cri.RemovePodSandboxRequest { PodSandboxId = podSandboxId }, ContainerdConnection.Plain(cancellationToken));
    }

    /// <summary>Where the logs of a pod this agent makes go (kubelet's /var/log/pods layout, under the agent's work dir).</summary>
    public string PodLogDirectory(string podNamespace, string podName) => Path.Combine(WorkDirectory, "pods", $"{podNamespace}_{podName}_{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }
    }

    /// <summary>A pod name from a service id (CRI pod names are DNS labels in Kubernetes: lower case, digits, '-').</summary>
    public static string PodNameOf(string serviceId)
    {
        ArgumentNullException.ThrowIfNull(serviceId);
        var chars = serviceId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var name = new string(chars).Trim('-');
        return name.Length == 0 ? "service" : name[..Math.Min(name.Length, 63)];
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Service {ServiceId} started from image {Image} as CRI container {ContainerId}")]
    private static partial void LogStarted(ILogger logger, string serviceId, string image, string containerId);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Service {ServiceId} already runs in CRI container {ContainerId}; not started again")]
    private static partial void LogAlreadyRunning(ILogger logger, string serviceId, string containerId);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Service {ServiceId}: CRI container {ContainerId} stopped and removed")]
    private static partial void LogRemoved(ILogger logger, string serviceId, string containerId);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "containerd: listing services failed: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string reason);
}
