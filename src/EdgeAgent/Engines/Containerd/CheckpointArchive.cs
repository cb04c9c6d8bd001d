using System.Formats.Tar;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// A container checkpoint archive in the format containerd ≥ 2.1's CRI restore reads (and Podman/CRI-O write):
/// <c>config.dump</c>, <c>spec.dump</c>, <c>status.dump</c>, <c>checkpoint/</c> (the CRIU images) and
/// <c>rootfs-diff.tar</c> (the writable layer). containerd 2.1.9 takes only regular files and directories at the top
/// level. <c>status.dump</c> is CRI's ContainerStatus as Go's encoding/json writes it (snake_case names, enums and
/// int64 as numbers): protobuf's own JSON mapping is refused (<c>cannot unmarshal string into … state</c>).
/// </summary>
internal static class CheckpointArchive
{
    /// <summary>CRIU reads this file (named by the annotation, which runc hands to CRIU) on restore: the TCP policy, and a log that survives a failed restore.</summary>
    public const string CriuConfigAnnotation = "org.criu.config";

    /// <summary>What the archive says about the container besides its images.</summary>
    public sealed record Metadata(
        string ContainerId,
        string ImageName,
        string ImageReference,
        string Spec,
        Cri.ContainerStatus Status,
        DateTimeOffset CheckpointedAt,
        string? CriuConfigFile);

    /// <summary>Writes the archive from <paramref name="imagesDirectory"/> (CRIU images plus <see cref="RootfsDiff.FileName"/>); returns its size.</summary>
    public static async Task<long> WriteAsync(string archivePath, string imagesDirectory, Metadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var diff = Path.Combine(imagesDirectory, RootfsDiff.FileName);
        if (!File.Exists(diff))
        {
            throw new ContainerdException($"{diff} is missing: the final round carries the container's writable layer");
        }

        await using (var output = new FileStream(archivePath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        await using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false))
        {
            await AddBytesAsync(tar, "config.dump", ConfigDump(metadata), cancellationToken);
            await AddBytesAsync(tar, "spec.dump", Encoding.UTF8.GetBytes(metadata.Spec), cancellationToken);
            await AddBytesAsync(tar, "status.dump", StatusDump(metadata.Status, metadata.CriuConfigFile), cancellationToken);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "checkpoint/") { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute }, cancellationToken);
            foreach (var file in Directory.GetFiles(imagesDirectory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                await tar.WriteEntryAsync(file, name == RootfsDiff.FileName ? name : "checkpoint/" + name, cancellationToken);
            }
        }

        return new FileInfo(archivePath).Length;
    }

    /// <summary>config.dump: the base image by name and by the reference containerd "pulls" it with (see <see cref="ContentStoreRegistry"/>).</summary>
    public static byte[] ConfigDump(Metadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", metadata.ContainerId);
            json.WriteString("name", metadata.Status.Metadata?.Name ?? "main");
            json.WriteString("rootfsImage", metadata.ImageName);
            json.WriteString("rootfsImageRef", metadata.ImageReference);
            json.WriteString("rootfsImageName", metadata.ImageName);
            json.WriteString("runtime", "io.containerd.runc.v2");
            json.WriteString("createdTime", Rfc3339(DateTimeOffset.UnixEpoch.AddTicks(metadata.Status.CreatedAt / 100)));
            json.WriteString("checkpointedTime", Rfc3339(metadata.CheckpointedAt));
            json.WriteString("restoredTime", "0001-01-01T00:00:00Z");
            json.WriteBoolean("restored", false);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>status.dump in Go's encoding/json shape, with the CRIU config annotation added when given.</summary>
    public static byte[] StatusDump(Cri.ContainerStatus status, string? criuConfigFile)
    {
        ArgumentNullException.ThrowIfNull(status);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", status.Id);
            json.WriteStartObject("metadata");
            json.WriteString("name", status.Metadata?.Name ?? "main");
            json.WriteNumber("attempt", status.Metadata?.Attempt ?? 0);
            json.WriteEndObject();
            json.WriteNumber("state", (int)status.State);
            json.WriteNumber("created_at", status.CreatedAt);
            json.WriteNumber("started_at", status.StartedAt);
            json.WriteStartObject("image");
            json.WriteString("image", status.Image?.Image ?? string.Empty);
            json.WriteEndObject();
            json.WriteString("image_ref", status.ImageRef);
            WriteMap(json, "labels", status.Labels);
            var annotations = status.Annotations.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            if (criuConfigFile is not null)
            {
                annotations[CriuConfigAnnotation] = criuConfigFile;
            }

            WriteMap(json, "annotations", annotations);
            json.WriteString("log_path", status.LogPath);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<string, string>> map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    private static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static async Task AddBytesAsync(TarWriter tar, string name, byte[] content, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(content, writable: false);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, DataStream = data };
        await tar.WriteEntryAsync(entry, cancellationToken);
    }
}
