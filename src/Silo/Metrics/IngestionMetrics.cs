using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Ingestion;

namespace EdgeMigrate.Silo.Metrics;

/// <summary>
/// Counts every inbound MQTT message as accepted or rejected (by reason), both as OpenTelemetry-visible
/// instruments (meter <c>EdgeMigrate.Silo</c>) and as tallies for the stats API.
/// </summary>
public sealed class IngestionMetrics
{
    public const string MeterName = "EdgeMigrate.Silo";

    /// <summary>The kind counted for a topic that is of no kind this silo takes.</summary>
    public const string UnknownKind = "unknown";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _ingestDuration;
    private readonly ConcurrentDictionary<string, long> _acceptedByKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rejectedByKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RejectionReason, long> _rejectedByReason = new();
    private readonly DateTimeOffset _since;
    private readonly string[] _kindOrder;
    private long _failedTotal;

    public IngestionMetrics(IMeterFactory meterFactory, TimeProvider timeProvider, IEnumerable<IInboundHandler> handlers)
    {
        // The stats list kinds in contract order, then "unknown".
        _kindOrder = [.. handlers.OrderBy(h => h.Topic).Select(h => h.Name), UnknownKind];
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("edgemigrate.mqtt.messages.accepted", "{message}", "Inbound MQTT messages applied to grain state");
        _rejected = meter.CreateCounter<long>("edgemigrate.mqtt.messages.rejected", "{message}", "Inbound MQTT messages refused, by reason");
        _failed = meter.CreateCounter<long>("edgemigrate.mqtt.messages.failed", "{message}", "Valid messages whose processing threw");
        _ingestDuration = meter.CreateHistogram<double>("edgemigrate.mqtt.ingest.duration", "ms", "Validation plus grain call, per accepted message");
        _since = timeProvider.GetUtcNow();
    }

    public void Accepted(string kind, double elapsedMs)
    {
        _acceptedByKind.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        _accepted.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _ingestDuration.Record(elapsedMs, new KeyValuePair<string, object?>("kind", kind));
    }

    public void Rejected(string kind, RejectionReason reason)
    {
        _rejectedByKind.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        _rejectedByReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);
        _rejected.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason.ToWireName()));
    }

    public void Failed(string kind)
    {
        Interlocked.Increment(ref _failedTotal);
        _failed.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    public IngestionStatistics Snapshot(string silo) => new()
    {
        Silo = silo,
        Since = _since,
        Accepted = _acceptedByKind.Values.Sum(),
        Rejected = _rejectedByReason.Values.Sum(),
        Failed = Interlocked.Read(ref _failedTotal),
        AcceptedByKind = InKindOrder(_acceptedByKind),
        RejectedByKind = InKindOrder(_rejectedByKind),
        RejectedByReason = _rejectedByReason.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToWireName(), p => p.Value),
    };

    private Dictionary<string, long> InKindOrder(ConcurrentDictionary<string, long> counts) =>
        counts.OrderBy(p => Array.IndexOf(_kindOrder, p.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
}
