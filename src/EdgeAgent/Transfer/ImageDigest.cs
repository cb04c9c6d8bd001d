using System.Buffers;
using System.IO.Hashing;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// Content digest of a checkpoint directory (CRIU images): every file split into 4 KiB blocks (memory pages in
/// pages-*.img), each hashed. Comparing two digests by position gives the pages that changed between two
/// leave-running dumps — dirty tracking by content, for kernels without soft-dirty bits.
/// </summary>
public sealed class ImageDigest
{
    public const int BlockSize = 4096;
    private const int ReadSize = 1 << 20;

    private ImageDigest(IReadOnlyList<FileDigest> files) => Files = files;

    /// <summary>Files sorted by name (ordinal): the index is the file number on the wire.</summary>
    public IReadOnlyList<FileDigest> Files { get; }

    public long TotalBytes => Files.Sum(f => f.Length);

    public static async Task<ImageDigest> ComputeAsync(string directory, CancellationToken cancellationToken)
    {
        var names = Directory.GetFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var files = new List<FileDigest>(names.Count);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            foreach (var name in names)
            {
                files.Add(await HashFileAsync(Path.Combine(directory, name), name, buffer, cancellationToken));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ImageDigest(files);
    }

    /// <summary>Whole-file xxHash128 (hex), as the receiver checks it.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            return (await HashFileAsync(path, Path.GetFileName(path), buffer, cancellationToken)).Xxh128;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The byte ranges of <paramref name="current"/> that differ from <paramref name="acked"/> (what the receiver
    /// holds), coalesced into runs of at most <paramref name="maxRun"/> bytes. Null <paramref name="acked"/>: everything.
    /// </summary>
    public static List<TransferItem> Delta(ImageDigest current, ImageDigest? acked, int maxRun = 64 * 1024)
    {
        var items = new List<TransferItem>();
        var previous = acked?.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        for (var fileIndex = 0; fileIndex < current.Files.Count; fileIndex++)
        {
            var file = current.Files[fileIndex];
            FileDigest? old = null;
            previous?.TryGetValue(file.Name, out old);
            long runStart = -1;
            var runLength = 0;
            for (var block = 0; block < file.Blocks.Length; block++)
            {
                var changed = old is null || block >= old.Blocks.Length || old.Blocks[block] != file.Blocks[block];
                var offset = (long)block * BlockSize;
                var length = (int)Math.Min(BlockSize, file.Length - offset);
                if (changed && runStart >= 0 && runStart + runLength == offset && runLength + length <= maxRun)
                {
                    runLength += length;
                    continue;
                }

                if (runStart >= 0)
                {
                    items.Add(new TransferItem(fileIndex, runStart, runLength));
                    runStart = -1;
                }

                if (changed)
                {
                    (runStart, runLength) = (offset, length);
                }
            }

            if (runStart >= 0)
            {
                items.Add(new TransferItem(fileIndex, runStart, runLength));
            }
        }

        return items;
    }

    private static async Task<FileDigest> HashFileAsync(string path, string name, byte[] buffer, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var length = stream.Length;
        var blocks = new ulong[(length + BlockSize - 1) / BlockSize];
        var whole = new XxHash128();
        var block = 0;
        while (true)
        {
            // Fill the buffer completely (except at EOF) so blocks never straddle two reads.
            var filled = 0;
            int read;
            while (filled < ReadSize && (read = await stream.ReadAsync(buffer.AsMemory(filled, ReadSize - filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            whole.Append(buffer.AsSpan(0, filled));
            for (var at = 0; at < filled; at += BlockSize)
            {
                blocks[block++] = XxHash3.HashToUInt64(buffer.AsSpan(at, Math.Min(BlockSize, filled - at)));
            }

            if (filled < ReadSize)
            {
                break;
            }
        }

        return new FileDigest(name, length, blocks, Convert.ToHexStringLower(whole.GetCurrentHash()));
    }
}
