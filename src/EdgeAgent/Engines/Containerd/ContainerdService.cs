namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>A service the containerd engine found: the CRI container that runs it and its pod sandbox.</summary>
public sealed record ContainerdService(string ServiceId, string ContainerId, string PodSandboxId, string ContainerName, bool PodManagedByAgent);
