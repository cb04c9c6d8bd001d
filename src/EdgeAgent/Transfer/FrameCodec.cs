using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>Encodes and decodes frames (layout in <see cref="FrameHeader"/>).</summary>
public static class FrameCodec
{
    public const int HeaderSize = 44;
    public const ushort Magic = 0x454D;
    public const int MaxPayload = 1 << 20;
    private const int ChecksummedHeaderBytes = 36;

    public static ulong TagOf(string migrationId) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(migrationId));

    /// <summary>Header and payload in one buffer, ready for a single write.</summary>
    public static byte[] Encode(FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (payload.Length != header.Length || payload.Length > MaxPayload)
        {
            throw new ArgumentException($"payload is {payload.Length} bytes; the header says {header.Length} (max {MaxPayload})", nameof(payload));
        }

        var buffer = new byte[HeaderSize + payload.Length];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, Magic);
        span[2] = (byte)header.Type;
        span[3] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(span[4..], header.Tag);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], header.Round);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], header.Seq);
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], header.File);
        BinaryPrimitives.WriteUInt64BigEndian(span[24..], header.Offset);
        BinaryPrimitives.WriteInt32BigEndian(span[32..], header.Length);
        payload.CopyTo(span[HeaderSize..]);
        BinaryPrimitives.WriteUInt64BigEndian(span[ChecksummedHeaderBytes..], Checksum(span[..ChecksummedHeaderBytes], payload));
        return buffer;
    }

    /// <summary>Reads one frame; throws <see cref="TransferProtocolException"/> when the stream lost framing, <see cref="EndOfStreamException"/> at EOF.</summary>
    public static async Task<Frame> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[HeaderSize];
        await stream.ReadExactlyAsync(head, cancellationToken);
        if (BinaryPrimitives.ReadUInt16BigEndian(head) != Magic)
        {
            throw new TransferProtocolException("bad frame magic: the stream lost framing");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(32));
        var type = head[2];
        if (length is < 0 or > MaxPayload || type is < (byte)FrameType.Hello or > (byte)FrameType.Error)
        {
            throw new TransferProtocolException($"implausible frame header (type {type}, length {length})");
        }

        var payload = length == 0 ? [] : new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        var header = new FrameHeader(
            (FrameType)type,
            BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(4)),
            BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(12)),
            BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(16)),
            BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(20)),
            BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(24)),
            length);
        var valid = BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(ChecksummedHeaderBytes)) == Checksum(head.AsSpan(0, ChecksummedHeaderBytes), payload);
        return new Frame(header, payload, valid);
    }

    private static ulong Checksum(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        var hash = new XxHash64();
        hash.Append(header);
        hash.Append(payload);
        return hash.GetCurrentHashAsUInt64();
    }
}
