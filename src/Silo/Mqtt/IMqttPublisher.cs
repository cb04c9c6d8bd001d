namespace EdgeMigrate.Silo.Mqtt;

/// <summary>Publishes silo → agent/device messages (commands, retained endpoints).</summary>
public interface IMqttPublisher
{
    Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default);
}
