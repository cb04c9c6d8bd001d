using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Engines.Container;

/// <summary>
/// Services run as runc containers under this agent's runc root; each has its bundle in
/// <c>{work-dir}/services/{id}/bundle</c> and its own cgroup <c>/edgemigrate/{node}/{container}</c>.
/// CRIU does the checkpoints (through runc), so a checkpoint restores only on the same CPU architecture.
/// </summary>
public sealed partial class ContainerEngine : IMigrationEngine
{
    private static readonly EngineCapabilities Supported = new() { Modes = new HashSet<MigrationMode> { MigrationMode.PreCopy, MigrationMode.StopAndCopy } };

    private readonly AgentOptions _options;
    private readonly ILogger<ContainerEngine> _logger;
    private readonly Lazy<Task<bool>> _dirtyTracking;

    public ContainerEngine(IOptions<AgentOptions> options, ILogger<ContainerEngine> logger)
    {
        _options = options.Value;
        _logger = logger;
        Runc = new Runc(_options.RuncRoot, Path.Combine(_options.WorkDir, "logs"));
        _dirtyTracking = new(() => CheckDirtyTrackingAsync(CancellationToken.None));
    }

    public Runc Runc { get; }

    public string ServicesDirectory => Path.Combine(_options.WorkDir, "services");

    /// <summary>runc and criu are on PATH: the node can offer the container engine.</summary>
    public static bool IsAvailable => ProcessRunner.Which("runc") is not null && ProcessRunner.Which("criu") is not null;

    public WorkloadEngine Kind => WorkloadEngine.Container;

    /// <summary>Pre-copy (content-diffed dumps) and stop-and-copy; no lazy pages yet, so no post-copy.</summary>
    public EngineCapabilities Capabilities => Supported;

    public string? UnavailableReason => IsAvailable ? null : "runc or criu missing (see scripts/install-test-deps.sh)";

    public static string ContainerIdOf(string serviceId) => "em-" + serviceId.Replace(':', '_');

    public string ServiceDirectory(string serviceId) => Path.Combine(ServicesDirectory, serviceId.Replace(':', '_'));

    public string BundleOf(string serviceId) => Path.Combine(ServiceDirectory(serviceId), "bundle");

    public bool HasBundle(string serviceId) => File.Exists(Path.Combine(BundleOf(serviceId), "config.json"));

    public string CgroupsPathOf(string serviceId) => $"/edgemigrate/{_options.NodeId}/{ContainerIdOf(serviceId)}";

    /// <summary>Whether CRIU's kernel-assisted dirty tracking (soft-dirty) works here; if not, pre-copy diffs page contents.</summary>
    public Task<bool> NativeDirtyTrackingAsync() => _dirtyTracking.Value;

    public SourceMigrationLifecycle CreateSource(MigrationContext context, NodeCommandMessage command) => new ContainerSourceMigration(context, this, command);

    public TargetMigrationLifecycle CreateTarget(MigrationContext context, NodeCommandMessage command) => new ContainerTargetMigration(context, this, command);

    /// <summary>Runs the launch's OCI bundle as the service's container, unless the service already has one here.</summary>
    public async Task StartServiceAsync(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        if (await StatusAsync(launch.ServiceId, cancellationToken) is { } status)
        {
            LogAlreadyRunning(_logger, launch.ServiceId, status);
            return;
        }

        await StartAsync(launch.ServiceId, launch.Source, cancellationToken);
    }

    public async Task<bool> RemoveServiceAsync(string serviceId, CancellationToken cancellationToken)
    {
        if (await StatusAsync(serviceId, cancellationToken) is null)
        {
            return false;
        }

        await RemoveAsync(serviceId, cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken) =>
        IsAvailable ? HostedServicesAsync(cancellationToken) : Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Copies <paramref name="bundle"/> into the service's directory (unless it is already there) and runs it.</summary>
    public async Task StartAsync(string serviceId, string bundle, CancellationToken cancellationToken)
    {
        var target = BundleOf(serviceId);
        if (Path.GetFullPath(bundle) != Path.GetFullPath(target))
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            CopyDirectory(bundle, target);
        }

        await File.WriteAllTextAsync(Path.Combine(ServiceDirectory(serviceId), "service-id"), serviceId, cancellationToken);
        await BundleArchive.SetCgroupsPathAsync(target, CgroupsPathOf(serviceId), cancellationToken);
        await Runc.RunDetachedAsync(ContainerIdOf(serviceId), target, cancellationToken);
        LogStarted(_logger, serviceId, ContainerIdOf(serviceId));
    }

    public Task<string?> StatusAsync(string serviceId, CancellationToken cancellationToken) => Runc.StatusAsync(ContainerIdOf(serviceId), cancellationToken);

    /// <summary>Services whose container runs (or is paused mid-migration) under this agent.</summary>
    public async Task<IReadOnlyList<string>> HostedServicesAsync(CancellationToken cancellationToken)
    {
        var running = (await Runc.ListAsync(cancellationToken)).Where(c => c.Status is "running" or "paused").Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        if (!Directory.Exists(ServicesDirectory))
        {
            return [];
        }

        var hosted = new List<string>();
        foreach (var dir in Directory.GetDirectories(ServicesDirectory))
        {
            var idFile = Path.Combine(dir, "service-id");
            if (File.Exists(idFile) && (await File.ReadAllTextAsync(idFile, cancellationToken)).Trim() is { Length: > 0 } id && running.Contains(ContainerIdOf(id)))
            {
                hosted.Add(id);
            }
        }

        return hosted;
    }

    public Task CheckpointAsync(string serviceId, string imagePath, string workPath, CancellationToken cancellationToken) =>
        Runc.CheckpointAsync(ContainerIdOf(serviceId), imagePath, workPath, leaveRunning: true, cancellationToken);

    public Task PauseAsync(string serviceId, CancellationToken cancellationToken) => Runc.PauseAsync(ContainerIdOf(serviceId), cancellationToken);

    public Task ResumeAsync(string serviceId, CancellationToken cancellationToken) => Runc.ResumeAsync(ContainerIdOf(serviceId), cancellationToken);

    /// <summary>Restores a checkpoint into this node's copy of the bundle; returns when the process runs.</summary>
    public async Task RestoreAsync(string serviceId, string imagePath, string workPath, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(ServiceDirectory(serviceId), "service-id"), serviceId, cancellationToken);
        await Runc.RestoreDetachedAsync(ContainerIdOf(serviceId), BundleOf(serviceId), imagePath, workPath, cancellationToken);
        var status = await StatusAsync(serviceId, cancellationToken);
        if (status != "running")
        {
            throw new RuncException($"restored container {ContainerIdOf(serviceId)} is '{status ?? "gone"}', not running");
        }

        LogRestored(_logger, serviceId);
    }

    /// <summary>Kills and removes the container and the service's files.</summary>
    public async Task RemoveAsync(string serviceId, CancellationToken cancellationToken)
    {
        if (await StatusAsync(serviceId, cancellationToken) is not null)
        {
            await Runc.DeleteAsync(ContainerIdOf(serviceId), cancellationToken);
        }

        if (Directory.Exists(ServiceDirectory(serviceId)))
        {
            Directory.Delete(ServiceDirectory(serviceId), recursive: true);
        }

        LogRemoved(_logger, serviceId);
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, dest, overwrite: true);
            File.SetUnixFileMode(dest, File.GetUnixFileMode(file));
            File.SetLastWriteTimeUtc(dest, File.GetLastWriteTimeUtc(file));
        }
    }

    private async Task<bool> CheckDirtyTrackingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProcessRunner.RunAsync("criu", ["check", "--feature", "mem_dirty_track"], cancellationToken);
            var works = result.Succeeded && !(result.StdOut + result.StdErr).Contains("OFF", StringComparison.Ordinal);
            LogDirtyTracking(_logger, works, (result.StdOut + result.StdErr).Trim().Split('\n').LastOrDefault() ?? "");
            return works;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            LogDirtyTracking(_logger, false, ex.Message);
            return false;
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Service {ServiceId} started as container {ContainerId}")]
    private static partial void LogStarted(ILogger logger, string serviceId, string containerId);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Service {ServiceId} restored and running")]
    private static partial void LogRestored(ILogger logger, string serviceId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Service {ServiceId} removed from this node")]
    private static partial void LogRemoved(ILogger logger, string serviceId);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Service {ServiceId} already has a container ({Status}); not started again")]
    private static partial void LogAlreadyRunning(ILogger logger, string serviceId, string status);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "CRIU native dirty tracking: {Available} ({Detail}); pre-copy diffs page contents when it is not available")]
    private static partial void LogDirtyTracking(ILogger logger, bool available, string detail);
}
