using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMigrate.Messaging;

/// <summary>How EdgeMigrate publishes: JSON at QoS 1, and a broker's refusal is an error, not a silent loss.</summary>
public static class MqttPublishing
{
    public static MqttApplicationMessage JsonMessage(string topic, byte[] payload, bool retain) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithRetainFlag(retain)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithContentType("application/json")
        .Build();

    /// <summary>Publishes and throws <see cref="MqttPublishRefusedException"/> when the broker answers with a failure code.</summary>
    public static async Task PublishCheckedAsync(this IMqttClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var result = await client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new MqttPublishRefusedException($"broker refused publish to {message.Topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    /// <summary>Says goodbye to the broker if still connected (a clean DISCONNECT suppresses the last-will), then releases the client.</summary>
    public static async ValueTask DisconnectAndDisposeAsync(this IMqttClient client)
    {
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Already gone: nothing to tell the broker.
            }
        }

        client.Dispose();
    }
}
