using System.Text.Json.Serialization;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// What the source sends the target before the first round (the bundle round of the containerd engine): enough to check
/// that the base image is there and to make the pod before the freeze, and later to write the checkpoint archive.
/// <see cref="Status"/> and <see cref="Pod"/> are CRI's ContainerStatus and PodSandboxStatus in protobuf JSON.
/// </summary>
public sealed record ContainerdServiceManifest(
    string ServiceId,
    string ContainerId,
    string ImageName,
    string ImageDigest,
    string Spec,
    string Status,
    string Pod,
    string? Hostname)
{
    public const string FileName = "containerd-service.json";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ContainerdServiceManifest))]
internal sealed partial class ContainerdJsonContext : JsonSerializerContext;
