using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using EdgeMigrate.Models.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>A real MQTT client (MQTTnet) for tests: publishes, and records what arrives on subscribed topics.</summary>
public sealed class TestMqttClient : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, Channel<(string Topic, byte[] Payload)>> _inbox = new();

    private TestMqttClient(IMqttClient client) => _client = client;

    public static async Task<TestMqttClient> ConnectAsync(int port, string clientId, NodeStatusMessage? lastWill = null, CancellationToken cancellationToken = default)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).WithCleanStart(true);
        if (lastWill is not null)
        {
            options.WithWillTopic(Models.MqttTopics.NodeStatus(lastWill.NodeId))
                .WithWillPayload(JsonSerializer.SerializeToUtf8Bytes(lastWill, ContractJsonContext.Default.NodeStatusMessage))
                .WithWillRetain(true)
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var wrapper = new TestMqttClient(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            foreach (var (filter, channel) in wrapper._inbox)
            {
                if (MqttTopicFilterComparer.Compare(e.ApplicationMessage.Topic, filter) == MqttTopicFilterCompareResult.IsMatch)
                {
                    channel.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
                }
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(options.Build(), cancellationToken);
        return wrapper;
    }

    public async Task SubscribeAsync(string filter, CancellationToken cancellationToken = default)
    {
        _inbox.TryAdd(filter, Channel.CreateUnbounded<(string, byte[])>());
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
    }

    /// <summary>The next message on a subscribed filter, or a clear failure after the bound.</summary>
    public async Task<(string Topic, byte[] Payload)> NextAsync(string filter, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _inbox[filter].Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no message arrived on {filter} within {(within ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s");
        }
    }

    public Task PublishAsync(string topic, byte[] payload, bool retain = false, CancellationToken cancellationToken = default) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);

    public Task PublishAsync<T>(string topic, T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, bool retain = false, CancellationToken cancellationToken = default) =>
        PublishAsync(topic, JsonSerializer.SerializeToUtf8Bytes(message, typeInfo), retain, cancellationToken);

    /// <summary>Drops the TCP connection without a DISCONNECT, so the broker publishes the last-will.</summary>
    public void Kill() => _client.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
