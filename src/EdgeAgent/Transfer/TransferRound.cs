namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// What the sender sends in one round: the manifest (every file of the complete image set with its length and
/// hash, so the receiver can rebuild and verify it) and the changed byte ranges, read from
/// <see cref="SourceDirectory"/> at send time (kept until the round is acknowledged, so a resumed connection can
/// re-read any range). Frame 0 is the manifest, frames 1..n the items, frame n+1 the end.
/// </summary>
public sealed class TransferRound
{
    public const string ImagesKind = "images";
    public const string BundleKind = "bundle";

    public required uint Number { get; init; }

    public required string Kind { get; init; }

    public required bool Final { get; init; }

    public required string SourceDirectory { get; init; }

    public required IReadOnlyList<ManifestFile> Files { get; init; }

    public required IReadOnlyList<TransferItem> Items { get; init; }

    /// <summary>Final round: extra data for the end frame (how long the source has been frozen when it is sent).</summary>
    public Func<RoundEndMessage>? End { get; init; }

    public uint FrameCount => (uint)Items.Count + 2;

    public long PayloadBytes => Items.Sum(i => (long)i.Length);

    public RoundManifest Manifest => new(Number, Kind, Final, Files, FrameCount);

    public static TransferRound FromDigest(uint number, bool final, string directory, ImageDigest digest, ImageDigest? acked, Func<RoundEndMessage>? end = null) => new()
    {
        Number = number,
        Kind = ImagesKind,
        Final = final,
        SourceDirectory = directory,
        Files = [.. digest.Files.Select(f => new ManifestFile(f.Name, f.Length, f.Xxh128, null))],
        Items = ImageDigest.Delta(digest, acked),
        End = end,
    };
}
