using System.Net.Sockets;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Messaging;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet.Exceptions;
using Polly;
using Polly.Retry;

namespace EdgeMigrate.EdgeAgent.Mqtt;

/// <summary>The agent's named resilience pipelines, registered once.</summary>
public static class AgentPipelines
{
    /// <summary>Connecting to the broker: back off up to 15 s between attempts, forever.</summary>
    public const string MqttConnect = "mqtt-connect";

    /// <summary>Publishing an event or status: a few quick retries while a reconnect happens.</summary>
    public const string MqttPublish = "mqtt-publish";

    /// <summary>One transfer round: reconnect and resume on broken links, stalls, lost framing.</summary>
    public const string Transfer = "transfer";

    public static IServiceCollection AddAgentPipelines(this IServiceCollection services)
    {
        services.AddResiliencePipeline(MqttConnect, builder => builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<MqttCommunicationException>().Handle<SocketException>().Handle<IOException>().Handle<TimeoutException>()
                .Handle<OperationCanceledException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(15),
        }));
        services.AddResiliencePipeline(MqttPublish, builder => builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<MqttCommunicationException>().Handle<MqttClientNotConnectedException>().Handle<MqttPublishRefusedException>().Handle<InvalidOperationException>(),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
        }));
        services.AddResiliencePipeline(Transfer, builder => builder.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>().Handle<SocketException>().Handle<TimeoutException>()
                .Handle<TransferRefusedException>(ex => ex.Code == RefusalCode.UnknownMigration),
            MaxRetryAttempts = 12,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(3),
        }));
        return services;
    }
}
