namespace EdgeMigrate.EdgeAgent.Tests.Infrastructure;

/// <summary>Trait values: <c>dotnet test --filter Category=Transfer</c>.</summary>
public static class TestCategories
{
    public const string Unit = "Unit";
    public const string Transfer = "Transfer";
    public const string Agent = "Agent";

    /// <summary>Needs runc + CRIU (scripts/install-test-deps.sh); runs real containers.</summary>
    public const string Container = "Container";

    /// <summary>Needs root, runc + CRIU and iproute2: agents as child processes in network namespaces joined by a tbf link.</summary>
    public const string Netns = "Netns";

    /// <summary>Needs root, containerd 2.1 (scripts/install-test-deps.sh, component containerd), runc + CRIU: a real containerd per node in its own netns.</summary>
    public const string Containerd = "Containerd";

    /// <summary>Needs kustomize and Node.js with kubernetes-models (component k8s): the deploy/k3s manifests rendered and checked against the Kubernetes schemas.</summary>
    public const string Manifests = "Manifests";
}
