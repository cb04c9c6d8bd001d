using System.Threading.Channels;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>
/// Parallel ingestion with per-key order: each message goes to the lane of its topic's entity id, so one
/// device's reports are applied in the order they arrived while different devices proceed in parallel.
/// </summary>
public sealed partial class InboundLanes(int laneCount, int laneCapacity, Func<InboundMessage, Task> process, ILogger logger)
{
    private readonly Channel<InboundMessage>[] _lanes = Enumerable.Range(0, laneCount)
        .Select(_ => Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(laneCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))
        .ToArray();

    private Task[] _workers = [];

    public void Start(CancellationToken stopping) =>
        _workers = _lanes.Select(lane => Task.Run(() => DrainAsync(lane.Reader, stopping), CancellationToken.None)).ToArray();

    /// <summary>Queues a message; waits when its lane is full, which slows the broker down instead of dropping.</summary>
    public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken) =>
        _lanes[LaneOf(message.Topic)].Writer.WriteAsync(message, cancellationToken);

    /// <summary>Stops taking messages and waits until every queued one was processed and acknowledged.</summary>
    public async Task DrainAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_workers);
    }

    private int LaneOf(string topic)
    {
        // em/v1/{kind}/{id}/{leaf}: hash the id part only.
        var span = topic.AsSpan();
        var start = span.IndexOf("/devices/") is var d and >= 0 ? d + 9 : span.IndexOf("/nodes/") is var n and >= 0 ? n + 7 : span.IndexOf("/migrations/") is var m and >= 0 ? m + 12 : 0;
        var rest = span[start..];
        var end = rest.IndexOf('/');
        var key = end >= 0 ? rest[..end] : rest;
        return (int)((uint)string.GetHashCode(key) % (uint)_lanes.Length);
    }

    private async Task DrainAsync(ChannelReader<InboundMessage> reader, CancellationToken stopping)
    {
        await foreach (var message in reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await process(message);
                await message.AcknowledgeAsync(stopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not acknowledged: with QoS 1 the broker delivers it again after a reconnect.
                LogProcessingFailed(logger, message.Topic, ex);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Processing a message on {Topic} failed; it stays unacknowledged")]
    private static partial void LogProcessingFailed(ILogger logger, string topic, Exception exception);
}
