namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>The labels by which the containerd engine finds and marks what it moves (on CRI pod sandboxes or containers).</summary>
public static class ContainerdLabels
{
    /// <summary>
    /// The EdgeMigrate service a container is: on the pod (a Kubernetes Pod's own label, e.g.
    /// <c>edgemigrate.io/service: svc-redis</c>) or on the container. The value is the service id.
    /// </summary>
    public const string Service = "edgemigrate.io/service";

    /// <summary>Set to <see cref="ManagedByAgent"/> on pods the agent made (started or restored); only those does it remove with the container.</summary>
    public const string ManagedBy = "edgemigrate.io/managed-by";

    public const string ManagedByAgent = "edgemigrate-agent";

    /// <summary>The migration that made a pod on a target node (a pod with it and no running container is a half-made restore).</summary>
    public const string Migration = "edgemigrate.io/migration";
}
