using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;
using CdContainers = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Containers;
using CdContent = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Content;
using CdDiff = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Diff;
using CdImages = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Images;
using CdLeases = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Leases;
using CdSnapshots = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Snapshots;
using CdTasks = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Tasks;
using CdVersion = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Version;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// One gRPC channel to a containerd socket (HTTP/2 without TLS over the unix socket) and the clients of the services the
/// engine uses: containerd's native API (every call carries the namespace as <c>containerd-namespace</c> metadata) and
/// CRI, which containerd serves on the same socket (always namespace k8s.io).
/// </summary>
public sealed class ContainerdConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public ContainerdConnection(string socketPath, string ns)
    {
        SocketPath = socketPath;
        Namespace = ns;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
        };

        // containerd ignores the authority; an http:// address keeps the client on plain HTTP/2.
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, MaxReceiveMessageSize = 64 * 1024 * 1024 });
        Version = new CdVersion.Version.VersionClient(_channel);
        Containers = new CdContainers.Containers.ContainersClient(_channel);
        Tasks = new CdTasks.Tasks.TasksClient(_channel);
        Content = new CdContent.Content.ContentClient(_channel);
        Images = new CdImages.Images.ImagesClient(_channel);
        Snapshots = new CdSnapshots.Snapshots.SnapshotsClient(_channel);
        Diff = new CdDiff.Diff.DiffClient(_channel);
        Leases = new CdLeases.Leases.LeasesClient(_channel);
        Cri = new Cri.RuntimeService.RuntimeServiceClient(_channel);
    }

    public string SocketPath { get; }

    /// <summary>containerd namespace of the native calls (k8s.io: where CRI, and so a K3s kubelet, keeps its containers).</summary>
    public string Namespace { get; }

    internal CdVersion.Version.VersionClient Version { get; }

    internal CdContainers.Containers.ContainersClient Containers { get; }

    internal CdTasks.Tasks.TasksClient Tasks { get; }

    internal CdContent.Content.ContentClient Content { get; }

    internal CdImages.Images.ImagesClient Images { get; }

    internal CdSnapshots.Snapshots.SnapshotsClient Snapshots { get; }

    internal CdDiff.Diff.DiffClient Diff { get; }

    internal CdLeases.Leases.LeasesClient Leases { get; }

    internal Cri.RuntimeService.RuntimeServiceClient Cri { get; }

    /// <summary>Call options for a native call in <see cref="Namespace"/>, optionally under a lease (which keeps what the call creates from garbage collection).</summary>
    public CallOptions Native(CancellationToken cancellationToken, string? lease = null)
    {
        var headers = new Metadata { { "containerd-namespace", Namespace } };
        if (lease is not null)
        {
            headers.Add("containerd-lease", lease);
        }

        return new CallOptions(headers, cancellationToken: cancellationToken);
    }

    /// <summary>Call options for a CRI call.</summary>
    public static CallOptions Plain(CancellationToken cancellationToken) => new(cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();
}
