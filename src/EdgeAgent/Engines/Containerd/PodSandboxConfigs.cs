using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>Pod sandbox configurations as a kubelet writes them: pod network namespace, a PID namespace per container.</summary>
internal static class PodSandboxConfigs
{
    public static Cri.PodSandboxConfig Create(string name, string podNamespace, string hostname, string logDirectory, IEnumerable<KeyValuePair<string, string>> labels, IEnumerable<KeyValuePair<string, string>> annotations)
    {
        var config = new Cri.PodSandboxConfig
        {
            Metadata = new Cri.PodSandboxMetadata { Name = name, Namespace = podNamespace, Uid = Guid.NewGuid().ToString(), Attempt = 0 },
            Hostname = hostname,
            LogDirectory = logDirectory,
            Linux = new Cri.LinuxPodSandboxConfig
            {
                SecurityContext = new Cri.LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new Cri.NamespaceOption { Network = Cri.NamespaceMode.Pod, Pid = Cri.NamespaceMode.Container, Ipc = Cri.NamespaceMode.Pod },
                },
            },
        };
        foreach (var (key, value) in labels)
        {
            config.Labels[key] = value;
        }

        foreach (var (key, value) in annotations)
        {
            config.Annotations[key] = value;
        }

        return config;
    }

    /// <summary>The container side of the same namespaces.</summary>
    public static Cri.LinuxContainerConfig ContainerLinux() => new()
    {
        SecurityContext = new Cri.LinuxContainerSecurityContext
        {
            NamespaceOptions = new Cri.NamespaceOption { Network = Cri.NamespaceMode.Pod, Pid = Cri.NamespaceMode.Container, Ipc = Cri.NamespaceMode.Pod },
        },
    };
}
