using EdgeMigrate.Models;
using MQTTnet.Packets;

namespace EdgeMigrate.Silo.Ingestion;

/// <summary>
/// A received MQTT message waiting in an ingestion lane: its route (the topic parsed once), the payload, the MQTT 5
/// user properties (where a broker stamps what it knows about the sender), and the acknowledgement to send the broker
/// only once the message was applied.
/// </summary>
public sealed record InboundMessage(MqttRoute Route, ReadOnlyMemory<byte> Payload, IReadOnlyList<MqttUserProperty> UserProperties, Func<CancellationToken, Task> AcknowledgeAsync)
{
    public string Topic => Route.Topic;
}
