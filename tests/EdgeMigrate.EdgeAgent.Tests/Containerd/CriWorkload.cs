using System.Net;
using EdgeMigrate.EdgeAgent.Engines.Containerd;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Tests.Containerd;

/// <summary>
/// What a kubelet does for a one-container Pod, through CRI on a test node's containerd: RunPodSandbox (pod network from
/// CNI, PID namespace per container) with the Pod's labels, CreateContainer, StartContainer. The Pod carries
/// <c>edgemigrate.io/service</c>, so the agent of that node finds it; it is not the agent's (no managed-by label).
/// </summary>
internal static class CriWorkload
{
    public static async Task<(string PodId, string ContainerId, IPAddress Address)> RunAsync(ContainerdConnection containerd, string serviceId, string image, string logDirectory, CancellationToken ct)
    {
        var pod = new Cri.PodSandboxConfig
        {
            Metadata = new Cri.PodSandboxMetadata { Name = "redis-0", Namespace = "default", Uid = Guid.NewGuid().ToString(), Attempt = 0 },
            Hostname = "redis-0",
            LogDirectory = logDirectory,
            Labels = { [ContainerdLabels.Service] = serviceId, ["app"] = "redis" },
            Linux = new Cri.LinuxPodSandboxConfig
            {
                SecurityContext = new Cri.LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new Cri.NamespaceOption { Network = Cri.NamespaceMode.Pod, Pid = Cri.NamespaceMode.Container, Ipc = Cri.NamespaceMode.Pod },
                },
            },
        };
        Directory.CreateDirectory(logDirectory);
        var podId = (await containerd.Cri.RunPodSandboxAsync(new Cri.RunPodSandboxRequest { Config = pod }, cancellationToken: ct)).PodSandboxId;
        var config = new Cri.ContainerConfig
        {
            Metadata = new Cri.ContainerMetadata { Name = "redis" },
            Image = new Cri.ImageSpec { Image = image },
            LogPath = "redis.log",
            Linux = new Cri.LinuxContainerConfig
            {
                SecurityContext = new Cri.LinuxContainerSecurityContext
                {
                    NamespaceOptions = new Cri.NamespaceOption { Network = Cri.NamespaceMode.Pod, Pid = Cri.NamespaceMode.Container, Ipc = Cri.NamespaceMode.Pod },
                },
            },
        };
        var containerId = (await containerd.Cri.CreateContainerAsync(new Cri.CreateContainerRequest { PodSandboxId = podId, Config = config, SandboxConfig = pod }, cancellationToken: ct)).ContainerId;
        await containerd.Cri.StartContainerAsync(new Cri.StartContainerRequest { ContainerId = containerId }, cancellationToken: ct);
        return (podId, containerId, await PodAddressAsync(containerd, podId, ct));
    }

    public static async Task<IPAddress> PodAddressAsync(ContainerdConnection containerd, string podId, CancellationToken ct) =>
        IPAddress.Parse((await containerd.Cri.PodSandboxStatusAsync(new Cri.PodSandboxStatusRequest { PodSandboxId = podId }, cancellationToken: ct)).Status.Network.Ip);

    /// <summary>The running CRI containers of a service on a node (by the container's or its pod's label).</summary>
    public static async Task<IReadOnlyList<Cri.Container>> RunningOfAsync(ContainerdConnection containerd, string serviceId, CancellationToken ct)
    {
        var pods = (await containerd.Cri.ListPodSandboxAsync(new Cri.ListPodSandboxRequest(), cancellationToken: ct)).Items.ToDictionary(p => p.Id);
        var running = new Cri.ListContainersRequest { Filter = new Cri.ContainerFilter { State = new Cri.ContainerStateValue { State = Cri.ContainerState.ContainerRunning } } };
        return [.. (await containerd.Cri.ListContainersAsync(running, cancellationToken: ct)).Containers
            .Where(c => c.Labels.GetValueOrDefault(ContainerdLabels.Service) == serviceId || (pods.TryGetValue(c.PodSandboxId, out var p) && p.Labels.GetValueOrDefault(ContainerdLabels.Service) == serviceId))];
    }
}
