using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>Healthy while the silo's MQTT connection is up.</summary>
public sealed class MqttHealthCheck(MqttConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy($"connected to {connection.Broker}")
            : HealthCheckResult.Unhealthy($"not connected to {connection.Broker}"));
}
