using EdgeMigrate.EdgeAgent.Engines.Criu;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// Restores a container into an existing pod through CRI from CRIU images and a writable layer: writes the checkpoint
/// archive, serves the base image from the content store for containerd's pull while CreateContainer runs, then
/// StartContainer, and checks that CRI reports it running. CRIU reads a per-restore config (tcp-close, and a log file
/// that survives a failed restore, since the shim deletes its bundle then); a failure's message carries CRIU's cause
/// line. Used by the target side of a migration and by the benchmark's local checkpoint/restore.
/// </summary>
internal static class CriRestore
{
    public sealed record Request(
        string PodSandboxId,
        Cri.PodSandboxConfig Pod,
        string ImagesDirectory,
        string WorkDirectory,
        string SourceContainerId,
        string ImageName,
        string ImageDigest,
        string Spec,
        Cri.ContainerStatus Status,
        IReadOnlyDictionary<string, string> Labels);

    public sealed record Result(string ContainerId, long ArchiveBytes, double ArchiveMs, int RegistryRequests);

    /// <summary>
    /// Restores <paramref name="request"/>; <paramref name="registry"/> is a content-store registry already listening in
    /// containerd's network namespace (null: one is started here, in this process's namespace, and stopped afterwards).
    /// </summary>
    public static async Task<Result> RunAsync(ContainerdEngine engine, Request request, ILogger logger, CancellationToken ct, ContentStoreRegistry? registry = null)
    {
        var started = engine.Time.GetTimestamp();
        var restoreLog = Path.Combine(request.WorkDirectory, "restore.log");
        var criuConfig = Path.Combine(engine.WorkDirectory, $"criu-restore-{Guid.NewGuid():N}.conf");
        Directory.CreateDirectory(engine.WorkDirectory);
        await File.WriteAllTextAsync(criuConfig, $"tcp-close\nlog-file {restoreLog}\n", ct);
        var archive = Path.Combine(request.WorkDirectory, "checkpoint.tar");
        try
        {
            await using var owned = registry is null ? ContentStoreRegistry.Start(engine.Connection, logger) : null;
            registry ??= owned!;
            var metadata = new CheckpointArchive.Metadata(request.SourceContainerId, request.ImageName, registry.ReferenceOf(request.ImageName, request.ImageDigest), request.Spec, request.Status, engine.Time.GetUtcNow(), criuConfig);
            var bytes = await CheckpointArchive.WriteAsync(archive, request.ImagesDirectory, metadata, ct);
            var archiveMs = engine.Time.GetElapsedTime(started).TotalMilliseconds;
            var name = request.Status.Metadata?.Name is { Length: > 0 } n ? n : "main";
            var config = new Cri.ContainerConfig
            {
                Metadata = new Cri.ContainerMetadata { Name = name },
                Image = new Cri.ImageSpec { Image = archive },
                LogPath = name + ".log",
                Linux = PodSandboxConfigs.ContainerLinux(),
            };
            foreach (var (key, value) in request.Labels)
            {
                config.Labels[key] = value;
            }

            var cri = engine.Connection.Cri;
            var created = await cri.CreateContainerAsync(new Cri.CreateContainerRequest { PodSandboxId = request.PodSandboxId, Config = config, SandboxConfig = request.Pod }, ContainerdConnection.Plain(ct));
            await cri.StartContainerAsync(new Cri.StartContainerRequest { ContainerId = created.ContainerId }, ContainerdConnection.Plain(ct));
            var now = (await cri.ContainerStatusAsync(new Cri.ContainerStatusRequest { ContainerId = created.ContainerId }, ContainerdConnection.Plain(ct))).Status;
            if (now.State != Cri.ContainerState.ContainerRunning)
            {
                throw new ContainerdException($"the restored container is {now.State} ({now.Reason} {now.Message}), not running");
            }

            return new Result(created.ContainerId, bytes, archiveMs, registry.Requests);
        }
        catch (Exception ex) when (ex is RpcException or ContainerdException or IOException)
        {
            var detail = ex is RpcException rpc ? rpc.Status.Detail : ex.Message;
            var cause = CriuLog.CauseIn(restoreLog);
            throw new ContainerdException($"CRI restore failed: {detail}{(cause is null ? string.Empty : $"; CRIU: {cause}")}", ex);
        }
        finally
        {
            TryDelete(criuConfig);
            TryDelete(archive);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left behind in a directory that is removed with the migration.
        }
    }
}
