using EdgeMigrate.Messaging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using Polly;
using Polly.Registry;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>
/// The silo's one long-lived MQTT client (MQTTnet 5 has no managed client): used for ingestion by
/// <see cref="MqttBridge"/> and for publishing by grains. Reconnection is the bridge's job.
/// </summary>
public sealed class MqttConnection : IMqttPublisher, IAsyncDisposable
{
    private readonly MqttOptions _options;
    private readonly ResiliencePipeline _publishPipeline;

    public MqttConnection(IOptions<MqttOptions> options, ResiliencePipelineProvider<string> pipelines)
    {
        _options = options.Value;
        _publishPipeline = pipelines.GetPipeline(MqttPipelines.Publish);
        Broker = _options.UsesEmbeddedBroker
            ? new MqttBrokerAddress("127.0.0.1", _options.Port)
            : MqttBrokerAddress.TryParse(_options.Url!, out var address, out _) ? address : throw new OptionsValidationException(MqttOptions.Section, typeof(MqttOptions), ["Mqtt:Url is invalid"]);
        ClientId = _options.ClientId ?? $"edgemigrate-silo-{Environment.MachineName}-{Environment.ProcessId}";
        Client = new MqttClientFactory().CreateMqttClient();
    }

    public IMqttClient Client { get; }

    public MqttBrokerAddress Broker { get; }

    public string ClientId { get; }

    public bool IsConnected => Client.IsConnected;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(Broker.Host, Broker.Port)
            .WithClientId(ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // A clean session: when this silo goes away, a shared subscription's messages go to the others.
            .WithCleanStart(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        await Client.ConnectAsync(clientOptions, cancellationToken);
    }

    public async Task PublishAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken = default) =>
        await _publishPipeline.ExecuteAsync(
            static async (state, ct) => await state.Client.PublishCheckedAsync(state.message, ct),
            (Client, message: MqttPublishing.JsonMessage(topic, payload, retain)),
            cancellationToken);

    public ValueTask DisposeAsync() => Client.DisconnectAndDisposeAsync();
}
