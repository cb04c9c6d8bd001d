using MQTTnet.Packets;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>A command as it came off the broker, before anything trusted it: topic, payload, MQTT 5 user properties.</summary>
public sealed record ReceivedCommand(string Topic, ReadOnlyMemory<byte> Payload, IReadOnlyList<MqttUserProperty> UserProperties);
