using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace EdgeMigrate.EdgeAgent.Engines.Container;

/// <summary>An OCI bundle (config.json + rootfs) as one tar stream, and the per-node rewrite of its config.</summary>
public static class BundleArchive
{
    /// <summary>Writes the bundle as a tar file and returns its SHA-256 (hex).</summary>
    public static async Task<string> PackAsync(string bundleDirectory, string tarPath, CancellationToken cancellationToken)
    {
        await using (var output = File.Create(tarPath))
        {
            await TarFile.CreateFromDirectoryAsync(bundleDirectory, output, includeBaseDirectory: false, cancellationToken);
        }

        await using var input = File.OpenRead(tarPath);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(input, cancellationToken));
    }

    public static async Task UnpackAsync(string tarPath, string bundleDirectory, CancellationToken cancellationToken)
    {
        var staging = bundleDirectory + ".unpacking";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        await TarFile.ExtractToDirectoryAsync(tarPath, staging, overwriteFiles: true, cancellationToken);
        if (Directory.Exists(bundleDirectory))
        {
            Directory.Delete(bundleDirectory, recursive: true);
        }

        Directory.Move(staging, bundleDirectory);
    }

    /// <summary>
    /// Gives the container this node's cgroup path, so a source and a target on one host never share a cgroup
    /// (a paused source's frozen cgroup would freeze the restored copy).
    /// </summary>
    public static async Task SetCgroupsPathAsync(string bundleDirectory, string cgroupsPath, CancellationToken cancellationToken)
    {
        var path = Path.Combine(bundleDirectory, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))?.AsObject()
            ?? throw new InvalidDataException($"{path} is not a JSON object");
        if (config["linux"] is not JsonObject linux)
        {
            linux = [];
            config["linux"] = linux;
        }

        linux["cgroupsPath"] = cgroupsPath;
        await File.WriteAllTextAsync(path, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), cancellationToken);
    }
}
