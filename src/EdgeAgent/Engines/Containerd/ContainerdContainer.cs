using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// Everything the source side reads about a service's container before it checkpoints it, all from containerd's API:
/// the runc root its shim uses (runtime options' root, else the shim's default, plus the namespace), the OCI spec, the
/// base image by name and manifest digest, the snapshot that holds its writable layer, and CRI's view of it and its pod.
/// </summary>
internal sealed record ContainerdContainer(
    ContainerdService Service,
    string RuncRoot,
    string Spec,
    string ImageName,
    string ImageDigest,
    string Snapshotter,
    string SnapshotKey,
    Cri.ContainerStatus Status,
    Cri.PodSandboxStatus Pod,
    string? Hostname);
