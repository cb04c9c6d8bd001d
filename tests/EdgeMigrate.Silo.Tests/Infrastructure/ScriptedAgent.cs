using System.Text.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>
/// An MQTT peer that speaks the agent side of the contract (status with last-will, commands in, events out)
/// as a test script dictates, so the saga is tested over the real broker before the real agents exist.
/// </summary>
public sealed class ScriptedAgent : IAsyncDisposable
{
    private readonly TestMqttClient _client;

    private ScriptedAgent(string nodeId, TestMqttClient client) => (NodeId, _client) = (nodeId, client);

    public string NodeId { get; }

    public static async Task<ScriptedAgent> StartAsync(int mqttPort, string nodeId, CpuArchitecture arch, int transferPort, CancellationToken cancellationToken)
    {
        var client = await TestMqttClient.ConnectAsync(mqttPort, $"agent-{nodeId}", Payloads.Offline(nodeId), cancellationToken);
        await client.SubscribeAsync(MqttTopics.NodeCommands(nodeId), cancellationToken);
        await client.PublishAsync(MqttTopics.NodeStatus(nodeId), Payloads.NodeStatus(nodeId, arch, transferPort: transferPort), ContractJsonContext.Default.NodeStatusMessage, retain: true, cancellationToken);
        return new ScriptedAgent(nodeId, client);
    }

    public async Task<NodeCommandMessage> NextCommandAsync(CancellationToken cancellationToken)
    {
        var (_, payload) = await _client.NextAsync(MqttTopics.NodeCommands(NodeId), cancellationToken: cancellationToken);
        return JsonSerializer.Deserialize(payload, ContractJsonContext.Default.NodeCommandMessage)!;
    }

    public Task ReportAsync(string migrationId, MigrationEventPhase phase, CancellationToken cancellationToken, int? round = null, long? bytes = null, double? downtimeMs = null, string? error = null) =>
        _client.PublishAsync(MqttTopics.MigrationEvents(migrationId), Payloads.Event(migrationId, NodeId, phase, round, bytes, downtimeMs, error), ContractJsonContext.Default.MigrationEventMessage, cancellationToken: cancellationToken);

    /// <summary>The agent process dies: the broker publishes its last-will ("offline").</summary>
    public void Crash() => _client.Kill();

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
