using System.Buffers;
using System.Buffers.Text;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>Reads the <c>sequence</c> field out of a telemetry payload without deserialising the rest.</summary>
internal static class TelemetrySequence
{
    public static bool TryRead(ReadOnlySequence<byte> payload, out long sequence)
    {
        ReadOnlySpan<byte> json = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        var marker = "\"sequence\":"u8;
        var at = json.IndexOf(marker);
        if (at < 0)
        {
            sequence = 0;
            return false;
        }

        return Utf8Parser.TryParse(json[(at + marker.Length)..], out sequence, out _);
    }
}
