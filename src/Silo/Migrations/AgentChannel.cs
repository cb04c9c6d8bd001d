using System.Text.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Mqtt;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>What grains send to agents and devices over MQTT: node commands and retained service endpoints.</summary>
public sealed class AgentChannel(IMqttPublisher publisher)
{
    public Task SendCommandAsync(string nodeId, NodeCommandMessage command) =>
        publisher.PublishAsync(MqttTopics.NodeCommands(nodeId), JsonSerializer.SerializeToUtf8Bytes(command, ContractJsonContext.Default.NodeCommandMessage), retain: false);

    public Task PublishEndpointAsync(ServiceEndpointMessage endpoint) =>
        publisher.PublishAsync(MqttTopics.ServiceEndpoint(endpoint.ServiceId), JsonSerializer.SerializeToUtf8Bytes(endpoint, ContractJsonContext.Default.ServiceEndpointMessage), retain: true);
}
