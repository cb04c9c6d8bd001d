namespace EdgeMigrate.Silo.Mqtt;

/// <summary>A received MQTT message waiting in an ingestion lane; acknowledged to the broker only once applied.</summary>
public sealed record InboundMessage(string Topic, byte[] Payload, Func<CancellationToken, Task> AcknowledgeAsync);
