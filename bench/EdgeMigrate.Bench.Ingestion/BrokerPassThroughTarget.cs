using EdgeMigrate.Models;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// The baseline: an MQTTnet server configured like the silo's embedded broker, and one QoS 1 subscriber on the
/// telemetry filter that acknowledges on receipt. What the pipeline costs is measured against this.
/// </summary>
public sealed class BrokerPassThroughTarget : IngestionTarget
{
    private readonly MqttServer _server;
    private readonly IMqttClient _subscriber;

    private BrokerPassThroughTarget(MqttServer server, IMqttClient subscriber, int port) => (_server, _subscriber, MqttPort) = (server, subscriber, port);

    public override string Name => "broker pass-through";

    public override int MqttPort { get; }

    public static async Task<BrokerPassThroughTarget> StartAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        // Same options as EdgeMigrate.Silo.Mqtt.EmbeddedMqttBroker.
        var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions(false)
            .Build());
        await server.StartAsync();

        var subscriber = new MqttClientFactory().CreateMqttClient();
        var target = new BrokerPassThroughTarget(server, subscriber, port);
        subscriber.ApplicationMessageReceivedAsync += target.OnMessageAsync;
        await subscriber.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId($"bench-subscriber-{Environment.ProcessId}")
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart(true)
                .Build(),
            cancellationToken);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(MqttTopics.Filter(MqttTopicKind.Telemetry), MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        return target;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_subscriber.IsConnected)
        {
            await _subscriber.DisconnectAsync();
        }

        _subscriber.Dispose();
        await _server.StopAsync();
        _server.Dispose();
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (TelemetrySequence.TryRead(e.ApplicationMessage.Payload, out var sequence))
        {
            Observe(sequence);
        }

        return Task.CompletedTask;
    }
}
