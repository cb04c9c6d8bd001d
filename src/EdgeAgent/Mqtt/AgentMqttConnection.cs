using System.Text.Json;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.Messaging;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Polly;
using Polly.Registry;

namespace EdgeMigrate.EdgeAgent.Mqtt;

/// <summary>
/// The agent's one long-lived MQTT client (MQTTnet 5 has no managed client). Its last-will is the retained
/// status <c>{"schemaVersion":1,"nodeId":..,"online":false}</c>, so the silo sees a dead agent go offline.
/// Reconnection is <see cref="AgentMqttService"/>'s job.
/// </summary>
public sealed class AgentMqttConnection : IMigrationEventSink, IAsyncDisposable
{
    private readonly AgentOptions _options;
    private readonly ResiliencePipeline _publish;
    private readonly MqttBrokerAddress _broker;

    public AgentMqttConnection(IOptions<AgentOptions> options, ResiliencePipelineProvider<string> pipelines)
    {
        _options = options.Value;
        _publish = pipelines.GetPipeline(AgentPipelines.MqttPublish);
        _broker = MqttBrokerAddress.TryParse(_options.MqttUrl, out var url, out var problem) ? url : throw new OptionsValidationException(AgentOptions.Section, typeof(AgentOptions), [problem]);
        Client = new MqttClientFactory().CreateMqttClient();
    }

    public IMqttClient Client { get; }

    public bool IsConnected => Client.IsConnected;

    public static byte[] OfflinePayload(string nodeId) => JsonSerializer.SerializeToUtf8Bytes(
        new NodeStatusMessage { SchemaVersion = ContractVersion.Current, NodeId = nodeId, Online = false },
        ContractJsonContext.Default.NodeStatusMessage);

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithClientId($"edgemigrate-agent-{_options.NodeId}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(5))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(MqttTopics.NodeStatus(_options.NodeId))
            .WithWillPayload(OfflinePayload(_options.NodeId))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await Client.ConnectAsync(options, cancellationToken);
        await Client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(MqttTopics.NodeCommands(_options.NodeId), MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);
    }

    public Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken) =>
        _publish.ExecuteAsync(
            static async (state, ct) =>
            {
                if (!state.Client.IsConnected)
                {
                    throw new MQTTnet.Exceptions.MqttCommunicationException("not connected to the broker (yet)");
                }

                await state.Client.PublishCheckedAsync(state.message, ct);
            },
            (Client, message: MqttPublishing.JsonMessage(topic, payload, retain)),
            cancellationToken).AsTask();

    public Task PublishAsync(MigrationEventMessage message, CancellationToken cancellationToken) =>
        PublishAsync(MqttTopics.MigrationEvents(message.MigrationId), JsonSerializer.SerializeToUtf8Bytes(message, ContractJsonContext.Default.MigrationEventMessage), retain: false, cancellationToken);

    public ValueTask DisposeAsync() => Client.DisconnectAndDisposeAsync();
}
