namespace EdgeMigrate.Models;

/// <summary>The kinds of topic in the MQTT contract v1; <see cref="MqttTopics"/> holds their layout.</summary>
public enum MqttTopicKind
{
    /// <summary><c>em/v1/devices/{deviceId}/telemetry</c>: device → silo.</summary>
    Telemetry,

    /// <summary><c>em/v1/nodes/{nodeId}/status</c> (retained): agent → silo.</summary>
    NodeStatus,

    /// <summary><c>em/v1/nodes/{nodeId}/commands</c>: silo → agent.</summary>
    NodeCommands,

    /// <summary><c>em/v1/migrations/{migrationId}/events</c>: agents → silo.</summary>
    MigrationEvents,

    /// <summary><c>em/v1/services/{serviceId}/endpoint</c> (retained): silo → devices.</summary>
    ServiceEndpoint,
}
