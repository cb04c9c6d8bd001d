using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Silo.Ingestion;

/// <summary>
/// Validates and applies one kind of inbound message. Registered once with <c>AddInboundHandler&lt;T&gt;()</c>; the
/// silo subscribes to exactly the topic kinds that have a handler, and a message reaches the handler of its kind only.
/// </summary>
public interface IInboundHandler
{
    /// <summary>The topic kind this handler takes.</summary>
    MqttTopicKind Topic { get; }

    /// <summary>The kind's name in metrics, logs and <c>GET /api/stats</c>, e.g. <c>telemetry</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Applies the message, or returns why it was refused (counted; nothing changed). Throws only when applying failed
    /// (then the message stays unacknowledged).
    /// </summary>
    Task<Rejection?> HandleAsync(InboundMessage message);
}
