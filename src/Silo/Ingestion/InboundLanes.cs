using System.Threading.Channels;

namespace EdgeMigrate.Silo.Ingestion;

/// <summary>
/// Parallel ingestion with per-key order: each message goes to the lane of its route's entity id, so one
/// device's reports are applied in the order they arrived while different devices proceed in parallel.
/// </summary>
public sealed partial class InboundLanes(int laneCount, int laneCapacity, Func<InboundMessage, Task> process, ILogger logger)
{
    private readonly Channel<InboundMessage>[] _lanes = Enumerable.Range(0, laneCount)
        .Select(_ => Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(laneCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))
        .ToArray();

    private Task[] _workers = [];

    /// <summary>
    /// Starts the workers. They deliberately take no stopping token: on shutdown every queued message is
    /// still applied and acknowledged (see <see cref="DrainAsync()"/>), otherwise it would be lost.
    /// </summary>
    public void Start() =>
        _workers = _lanes.Select(lane => Task.Run(() => DrainAsync(lane.Reader), CancellationToken.None)).ToArray();

    /// <summary>Queues a message; waits when its lane is full, which slows the broker down instead of dropping.</summary>
    public ValueTask EnqueueAsync(InboundMessage message, CancellationToken cancellationToken) =>
        _lanes[(int)((uint)string.GetHashCode(message.Route.Id) % (uint)_lanes.Length)].Writer.WriteAsync(message, cancellationToken);

    /// <summary>Stops taking messages and waits until every queued one was processed and acknowledged.</summary>
    public async Task DrainAsync()
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        await Task.WhenAll(_workers);
    }

    private async Task DrainAsync(ChannelReader<InboundMessage> reader)
    {
        await foreach (var message in reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await process(message);
                await message.AcknowledgeAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Not acknowledged: the broker redelivers it only if this session resumes.
                LogProcessingFailed(logger, message.Topic, ex);
            }
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Processing a message on {Topic} failed; it stays unacknowledged")]
    private static partial void LogProcessingFailed(ILogger logger, string topic, Exception exception);
}
