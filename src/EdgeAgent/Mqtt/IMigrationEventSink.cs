using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.EdgeAgent.Mqtt;

/// <summary>Where migration events go (MQTT <c>em/v1/migrations/{id}/events</c>).</summary>
public interface IMigrationEventSink
{
    Task PublishAsync(MigrationEventMessage message, CancellationToken cancellationToken);
}
