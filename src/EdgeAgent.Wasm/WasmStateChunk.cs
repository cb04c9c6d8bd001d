using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>Whether a chunk is a pre-copy round (memory only) or the final, frozen state.</summary>
public enum WasmChunkKind : byte
{
    /// <summary>Pre-copy round: pages that changed since the previous chunk, taken while the workload runs.</summary>
    Round = 1,

    /// <summary>The last delta plus globals, tables and files, taken at a call boundary while frozen.</summary>
    Final = 2,
}

/// <summary>One 64 KiB page of linear memory; an empty <see cref="Data"/> means all zeroes.</summary>
public readonly record struct WasmPage(uint Index, ReadOnlyMemory<byte> Data)
{
    public bool IsZero => Data.IsEmpty;
}

/// <summary>A mutable global's value as raw little-endian bits (f32/f64 as their IEEE-754 bits).</summary>
public sealed record WasmGlobalValue(string Name, WasmValueType Type, ulong Bits);

/// <summary>
/// What the target checks about a table: the table is not carried (funcref indices are module-relative and
/// the code cannot change it, see <see cref="WasmModuleInspector"/>), but its size and layout must match.
/// </summary>
public sealed record WasmTableState(string Name, uint Size, ulong LayoutDigest);

/// <summary>A file or directory of the preopened data directory, by '/'-separated relative path.</summary>
public sealed record WasmFileEntry(string Path, bool IsDirectory, ReadOnlyMemory<byte> Content);

/// <summary>
/// The unit of WebAssembly state transfer: a pre-copy round or the final state. A snapshot file is a
/// sequence of chunks whose last one is <see cref="WasmChunkKind.Final"/> (a stop-and-copy checkpoint is
/// one final chunk).
/// <para>
/// Wire format (all integers little-endian, independent of the machine):
/// <c>"EMWS" u16 format=1 u8 kind u8 contract=1 u64 bodyLength | body | u64 XxHash64(header+body)</c>.
/// Body: <c>32-byte module SHA-256, u32 round, u32 memoryPages, u32 pageCount, pageCount × (u32 index, u8
/// encoding 0=zero/1=raw, [65536 bytes])</c>; final chunks go on with <c>str sourceArch, u32 n × (str name,
/// u8 type, u64 bits), u32 n × (str name, u32 size, u64 layoutDigest), u32 n × (str path, u8 isDir, u64
/// length, bytes)</c>. <c>str</c> = u16 length + UTF-8.
/// </para>
/// </summary>
public sealed class WasmStateChunk
{
    public const int PageSize = 65536;
    public const ushort FormatVersion = 1;
    private const int HeaderSize = 16;
    private static ReadOnlySpan<byte> MagicBytes => "EMWS"u8;

    public required WasmChunkKind Kind { get; init; }

    /// <summary>SHA-256 of the module binary this state belongs to.</summary>
    public required ReadOnlyMemory<byte> ModuleSha256 { get; init; }

    /// <summary>0, 1, 2, … in the order the target must apply them.</summary>
    public required int Round { get; init; }

    /// <summary>Size of linear memory, in pages, after this chunk.</summary>
    public required uint MemoryPages { get; init; }

    public required IReadOnlyList<WasmPage> Pages { get; init; }

    public IReadOnlyList<WasmGlobalValue> Globals { get; init; } = [];

    public IReadOnlyList<WasmTableState> Tables { get; init; } = [];

    public IReadOnlyList<WasmFileEntry> Files { get; init; } = [];

    /// <summary>Architecture of the machine the state was taken on (informational).</summary>
    public string SourceArchitecture { get; init; } = "";

    /// <summary>Bytes of memory pages carried (zero pages count nothing).</summary>
    public long PageBytes => Pages.Sum(p => (long)p.Data.Length);

    public string ModuleHashHex => Convert.ToHexStringLower(ModuleSha256.Span);

    /// <summary>Encodes the chunk.</summary>
    public byte[] ToArray()
    {
        var bodyLength = 32 + 12 + Pages.Sum(p => 5L + p.Data.Length);
        if (Kind == WasmChunkKind.Final)
        {
            bodyLength += StrLength(SourceArchitecture) + 12
                + Globals.Sum(g => StrLength(g.Name) + 9L)
                + Tables.Sum(t => StrLength(t.Name) + 12L)
                + Files.Sum(f => StrLength(f.Path) + 9L + f.Content.Length);
        }

        if (HeaderSize + bodyLength + 8 > Array.MaxLength)
        {
            throw new InvalidOperationException($"a chunk of {bodyLength} bytes is too large; send pre-copy rounds in smaller pieces");
        }

        var buffer = new byte[HeaderSize + bodyLength + 8];
        var w = new Writer(buffer);
        w.Bytes(MagicBytes);
        w.U16(FormatVersion);
        w.U8((byte)Kind);
        w.U8(WasmContract.Version);
        w.U64((ulong)bodyLength);
        if (ModuleSha256.Length != 32)
        {
            throw new InvalidOperationException("module hash must be 32 bytes (SHA-256)");
        }

        w.Bytes(ModuleSha256.Span);
        w.U32((uint)Round);
        w.U32(MemoryPages);
        w.U32((uint)Pages.Count);
        foreach (var page in Pages)
        {
            w.U32(page.Index);
            if (page.IsZero)
            {
                w.U8(0);
            }
            else
            {
                if (page.Data.Length != PageSize)
                {
                    throw new InvalidOperationException($"page {page.Index} has {page.Data.Length} bytes, not {PageSize}");
                }

                w.U8(1);
                w.Bytes(page.Data.Span);
            }
        }

        if (Kind == WasmChunkKind.Final)
        {
            w.Str(SourceArchitecture);
            w.U32((uint)Globals.Count);
            foreach (var g in Globals)
            {
                w.Str(g.Name);
                w.U8((byte)g.Type);
                w.U64(g.Bits);
            }

            w.U32((uint)Tables.Count);
            foreach (var t in Tables)
            {
                w.Str(t.Name);
                w.U32(t.Size);
                w.U64(t.LayoutDigest);
            }

            w.U32((uint)Files.Count);
            foreach (var f in Files)
            {
                w.Str(f.Path);
                w.U8(f.IsDirectory ? (byte)1 : (byte)0);
                w.U64((ulong)f.Content.Length);
                w.Bytes(f.Content.Span);
            }
        }

        w.U64(XxHash64.HashToUInt64(buffer.AsSpan(0, w.Position)));
        return buffer;
    }

    /// <summary>Writes the encoded chunk to a stream.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
    {
        await destination.WriteAsync(ToArray(), cancellationToken);
    }

    /// <summary>Reads one chunk from a stream; null at a clean end of stream.</summary>
    public static async Task<WasmStateChunk?> ReadFromAsync(Stream source, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        var read = await source.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderSize)
        {
            throw new InvalidDataException("truncated WebAssembly state chunk header");
        }

        var bodyLength = CheckHeader(header);
        var buffer = new byte[HeaderSize + bodyLength + 8];
        header.CopyTo(buffer, 0);
        await source.ReadExactlyAsync(buffer.AsMemory(HeaderSize), cancellationToken);
        return Parse(buffer);
    }

    /// <summary>Decodes a chunk (one whole encoded chunk, as <see cref="ToArray"/> made it).</summary>
    public static WasmStateChunk Parse(ReadOnlyMemory<byte> encoded)
    {
        var span = encoded.Span;
        if (span.Length < HeaderSize + 8)
        {
            throw new InvalidDataException("truncated WebAssembly state chunk");
        }

        var bodyLength = CheckHeader(span[..HeaderSize]);
        if (span.Length != HeaderSize + bodyLength + 8)
        {
            throw new InvalidDataException($"chunk length {span.Length} does not match its header ({HeaderSize + bodyLength + 8})");
        }

        var expected = BinaryPrimitives.ReadUInt64LittleEndian(span[^8..]);
        if (XxHash64.HashToUInt64(span[..^8]) != expected)
        {
            throw new InvalidDataException("chunk checksum mismatch: the state was damaged in transit or on disk");
        }

        var r = new Reader(encoded[..^8], HeaderSize);
        var kind = (WasmChunkKind)span[6];
        var hash = r.Bytes(32);
        var round = (int)r.U32();
        var memoryPages = r.U32();
        var pageCount = r.U32();
        var pages = new List<WasmPage>((int)Math.Min(pageCount, 1 << 16));
        for (var i = 0; i < pageCount; i++)
        {
            var index = r.U32();
            var encoding = r.U8();
            pages.Add(encoding switch
            {
                0 => new WasmPage(index, ReadOnlyMemory<byte>.Empty),
                1 => new WasmPage(index, r.Bytes(PageSize)),
                _ => throw new InvalidDataException($"unknown page encoding {encoding}"),
            });
            if (index >= memoryPages)
            {
                throw new InvalidDataException($"page {index} is outside the memory size ({memoryPages} pages)");
            }
        }

        if (kind == WasmChunkKind.Round)
        {
            return new WasmStateChunk { Kind = kind, ModuleSha256 = hash, Round = round, MemoryPages = memoryPages, Pages = pages };
        }

        var arch = r.Str();
        var globals = new List<WasmGlobalValue>();
        for (var n = r.U32(); n > 0; n--)
        {
            globals.Add(new WasmGlobalValue(r.Str(), (WasmValueType)r.U8(), r.U64()));
        }

        var tables = new List<WasmTableState>();
        for (var n = r.U32(); n > 0; n--)
        {
            tables.Add(new WasmTableState(r.Str(), r.U32(), r.U64()));
        }

        var files = new List<WasmFileEntry>();
        for (var n = r.U32(); n > 0; n--)
        {
            var path = r.Str();
            var isDirectory = r.U8() == 1;
            var length = r.U64();
            files.Add(new WasmFileEntry(path, isDirectory, r.Bytes(checked((int)length))));
        }

        return new WasmStateChunk
        {
            Kind = kind,
            ModuleSha256 = hash,
            Round = round,
            MemoryPages = memoryPages,
            Pages = pages,
            SourceArchitecture = arch,
            Globals = globals,
            Tables = tables,
            Files = files,
        };
    }

    private static long CheckHeader(ReadOnlySpan<byte> header)
    {
        if (!header[..4].SequenceEqual(MagicBytes))
        {
            throw new InvalidDataException("not an EdgeMigrate WebAssembly state chunk (bad magic)");
        }

        var format = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"state chunk format {format} is not supported (this engine reads format {FormatVersion})");
        }

        if (header[6] is not ((byte)WasmChunkKind.Round or (byte)WasmChunkKind.Final))
        {
            throw new InvalidDataException($"unknown chunk kind {header[6]}");
        }

        if (header[7] != WasmContract.Version)
        {
            throw new InvalidDataException($"state was taken under workload contract {header[7]}, this engine implements {WasmContract.Version}");
        }

        var bodyLength = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        return bodyLength > (ulong)(Array.MaxLength - HeaderSize - 8)
            ? throw new InvalidDataException($"chunk body of {bodyLength} bytes is too large")
            : (long)bodyLength;
    }

    private static long StrLength(string s) => 2 + Encoding.UTF8.GetByteCount(s);

    private sealed class Writer(byte[] buffer)
    {
        public int Position { get; private set; }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.AsSpan(Position));
            Position += bytes.Length;
        }

        public void U8(byte value) => buffer[Position++] = value;

        public void U16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(Position), value);
            Position += 2;
        }

        public void U32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(Position), value);
            Position += 4;
        }

        public void U64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(Position), value);
            Position += 8;
        }

        public void Str(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            if (length > ushort.MaxValue)
            {
                throw new InvalidOperationException($"string too long for a state chunk: {value[..40]}…");
            }

            U16((ushort)length);
            Position += Encoding.UTF8.GetBytes(value, buffer.AsSpan(Position));
        }
    }

    private sealed class Reader(ReadOnlyMemory<byte> data, int position)
    {
        private int _pos = position;

        public ReadOnlyMemory<byte> Bytes(int n)
        {
            if (n < 0 || _pos + n > data.Length)
            {
                throw new InvalidDataException("truncated state chunk body");
            }

            var slice = data.Slice(_pos, n);
            _pos += n;
            return slice;
        }

        public byte U8() => Bytes(1).Span[0];

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4).Span);

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8).Span);

        public string Str() => Encoding.UTF8.GetString(Bytes(BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2).Span)).Span);
    }
}
