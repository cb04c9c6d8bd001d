using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>The default broker: MQTTnet's server inside the silo process, so one command runs everything.</summary>
public sealed partial class EmbeddedMqttBroker(IOptions<MqttOptions> options, ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private const int MaxPendingMessagesPerClient = 1_000_000;
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.Port;
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions(false)
            // The silo's own client takes every device's telemetry: never drop from its queue while it catches up.
            .WithMaxPendingMessagesPerClient(MaxPendingMessagesPerClient)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += AssignClientIdWhenEmpty;
        try
        {
            await _server.StartAsync();
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new InvalidOperationException($"The embedded MQTT broker cannot listen on port {port}: {ex.Message}. Choose another with --mqtt-port, or use an external broker with --mqtt-url.", ex);
        }

        LogStarted(logger, port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync(CancellationToken.None);
            _server.Dispose();
        }
    }

    /// <summary>MQTT 5 lets a client leave its id to the broker (mosquitto_pub does); MQTTnet needs us to assign one.</summary>
    private static Task AssignClientIdWhenEmpty(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId))
        {
            e.AssignedClientIdentifier = $"auto-{Guid.NewGuid():N}";
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Embedded MQTT broker listening on port {Port}")]
    private static partial void LogStarted(ILogger logger, int port);
}
