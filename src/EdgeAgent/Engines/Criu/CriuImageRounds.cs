using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;

namespace EdgeMigrate.EdgeAgent.Engines.Criu;

/// <summary>
/// Pre-copy by content for CRIU image sets: every round is a complete leave-running dump (no soft-dirty bits needed, so
/// it works on arm64 kernels and on this machine's), hashed in 4 KiB blocks; only blocks that differ from the previous
/// round cross the wire, and the receiver rebuilds complete image files. Any engine that writes a round's files into
/// one directory can use it (the containerd engine adds its rootfs diff next to CRIU's images).
/// </summary>
public sealed class CriuImageRounds
{
    private ImageDigest? _previous;

    /// <summary>Total bytes of the last round's complete image set (0 before the first round).</summary>
    public long LastTotalBytes => _previous?.TotalBytes ?? 0;

    /// <summary>
    /// The round made from <paramref name="directory"/>: the changed blocks since the previous round. The next round is
    /// diffed against this one: if this one does not arrive, the migration fails and rolls back.
    /// </summary>
    public async Task<CapturedRound> CaptureAsync(uint number, bool final, string directory, Func<RoundEndMessage>? end, CancellationToken cancellationToken)
    {
        var digest = await ImageDigest.ComputeAsync(directory, cancellationToken);
        var transfer = TransferRound.FromDigest(number, final, directory, digest, _previous, end);
        _previous = digest;
        return new CapturedRound(transfer, transfer.PayloadBytes);
    }
}
