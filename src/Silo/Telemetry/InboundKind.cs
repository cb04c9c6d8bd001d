namespace EdgeMigrate.Silo.Telemetry;

/// <summary>The kinds of inbound MQTT message the silo ingests.</summary>
public enum InboundKind
{
    Telemetry,
    NodeStatus,
    MigrationEvent,
    Unknown,
}
