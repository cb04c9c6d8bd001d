using System.Globalization;
using Grpc.Core;
using CdContent = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Content;
using CdDiff = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Diff;
using CdLeases = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Leases;
using CdSnapshots = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Snapshots;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// A container's writable layer as an OCI layer tar (<c>rootfs-diff.tar</c> in a checkpoint archive), made by containerd's
/// own Diff service: a read-only view of the image's snapshot on the left, the container's snapshot on the right. OCI
/// whiteouts for deleted files are containerd's business. Everything it creates lives under a short lease and is
/// removed again.
/// </summary>
public static class RootfsDiff
{
    public const string FileName = "rootfs-diff.tar";
    private const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar";

    public static async Task<long> WriteAsync(ContainerdConnection containerd, string snapshotter, string snapshotKey, string outputPath, TimeProvider time, CancellationToken cancellationToken)
    {
        var leaseId = $"edgemigrate-diff-{Guid.NewGuid():N}";
        var expires = time.GetUtcNow().AddMinutes(30).ToString("O", CultureInfo.InvariantCulture);
        await containerd.Leases.CreateAsync(new CdLeases.CreateRequest { Id = leaseId, Labels = { ["containerd.io/gc.expire"] = expires } }, containerd.Native(cancellationToken));
        var leased = containerd.Native(cancellationToken, leaseId);
        var viewKey = leaseId + "-parent";
        var viewMade = false;
        try
        {
            var info = (await containerd.Snapshots.StatAsync(new CdSnapshots.StatSnapshotRequest { Snapshotter = snapshotter, Key = snapshotKey }, leased)).Info;
            var left = (await containerd.Snapshots.ViewAsync(new CdSnapshots.ViewSnapshotRequest { Snapshotter = snapshotter, Key = viewKey, Parent = info.Parent }, leased)).Mounts;
            viewMade = true;
            var right = (await containerd.Snapshots.MountsAsync(new CdSnapshots.MountsRequest { Snapshotter = snapshotter, Key = snapshotKey }, leased)).Mounts;
            var request = new CdDiff.DiffRequest { MediaType = LayerMediaType, Ref = leaseId + "-layer" };
            request.Left.AddRange(left);
            request.Right.AddRange(right);
            var layer = (await containerd.Diff.DiffAsync(request, leased)).Diff;
            await using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            using var read = containerd.Content.Read(new CdContent.ReadContentRequest { Digest = layer.Digest }, leased);
            await foreach (var chunk in read.ResponseStream.ReadAllAsync(cancellationToken))
            {
                await output.WriteAsync(chunk.Data.Memory, cancellationToken);
            }

            return output.Length;
        }
        finally
        {
            // Best effort: the lease's expiry collects whatever a failure here leaves.
            try
            {
                if (viewMade)
                {
                    await containerd.Snapshots.RemoveAsync(new CdSnapshots.RemoveSnapshotRequest { Snapshotter = snapshotter, Key = viewKey }, leased.WithCancellationToken(CancellationToken.None));
                }

                await containerd.Leases.DeleteAsync(new CdLeases.DeleteRequest { Id = leaseId, Sync = false }, containerd.Native(CancellationToken.None));
            }
            catch (RpcException)
            {
            }
        }
    }
}
