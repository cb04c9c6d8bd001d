using System.Collections.Frozen;
using System.Diagnostics;
using EdgeMigrate.Hosting;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Metrics;

namespace EdgeMigrate.Silo.Ingestion;

/// <summary>
/// Hands each inbound message to the one handler of its topic kind and counts the outcome. A topic that is not of a
/// kind with a handler is refused at the door (<see cref="TryRoute"/>), before it takes a lane, so nothing unknown is
/// ever queued or applied; invalid payloads are refused by their handler with a counted reason before any grain sees them.
/// </summary>
public sealed partial class InboundRouter
{
    private readonly FrozenDictionary<MqttTopicKind, IInboundHandler> _handlers;
    private readonly IngestionMetrics _metrics;
    private readonly ILogger<InboundRouter> _logger;

    public InboundRouter(IEnumerable<IInboundHandler> handlers, IngestionMetrics metrics, ILogger<InboundRouter> logger)
    {
        _handlers = OnePerKey.Index(handlers, h => h.Topic, "inbound handlers");
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The topic kinds this silo takes (and subscribes to), in contract order.</summary>
    public IReadOnlyList<MqttTopicKind> Kinds => [.. _handlers.Keys.Order()];

    /// <summary>Parses the topic; a topic of no handled kind is counted as rejected (<c>unknown-topic</c>) and false.</summary>
    public bool TryRoute(string topic, out MqttRoute route)
    {
        if (MqttTopics.TryParse(topic, out route) && _handlers.ContainsKey(route.Kind))
        {
            return true;
        }

        Reject(IngestionMetrics.UnknownKind, topic, new Rejection(RejectionReason.UnknownTopic, "not a topic of the contract (em/v1/{collection}/{id}/{leaf}, valid id) that this silo takes"));
        return false;
    }

    /// <summary>Applies one routed message. Returns normally for accepted and refused messages; throws only when applying it failed.</summary>
    public async Task ProcessAsync(InboundMessage message)
    {
        var started = Stopwatch.GetTimestamp();
        var handler = _handlers[message.Route.Kind];
        Rejection? rejection;
        try
        {
            rejection = await handler.HandleAsync(message);
        }
        catch (Exception)
        {
            _metrics.Failed(handler.Name);
            throw;
        }

        if (rejection is not null)
        {
            Reject(handler.Name, message.Topic, rejection);
            return;
        }

        _metrics.Accepted(handler.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void Reject(string kind, string topic, Rejection rejection)
    {
        _metrics.Rejected(kind, rejection.Reason);
        LogRejected(_logger, Truncate(topic), rejection.Reason.ToWireName(), rejection.Detail);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Rejected message on {Topic}: {Reason}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string topic, string reason, string detail);
}
