using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Ingestion;
using EdgeMigrate.Silo.Ingestion.Handlers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace EdgeMigrate.Silo.Mqtt;

public static class MqttServiceCollectionExtensions
{
    /// <summary>The broker (when embedded), the silo's MQTT connection, ingestion and the resilience pipelines they use.</summary>
    public static IHostApplicationBuilder AddEdgeMigrateMqtt(this IHostApplicationBuilder builder, bool embeddedBroker)
    {
        var services = builder.Services;
        if (embeddedBroker)
        {
            // Registered before the bridge: hosted services start in order, and stop in reverse.
            services.AddSingleton<EmbeddedMqttBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedMqttBroker>());
        }

        services.AddResiliencePipeline(MqttPipelines.Connect, pipeline => pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            UseJitter = true,
        }));
        services.AddResiliencePipeline(MqttPipelines.Publish, pipeline => pipeline
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(100),
            })
            .AddTimeout(TimeSpan.FromSeconds(10)));

        services.AddResiliencePipeline(MqttPipelines.GrainCall, pipeline => pipeline.AddRetry(new RetryStrategyOptions
        {
            // Transient cluster conditions only; validation problems never reach a grain.
            ShouldHandle = new PredicateBuilder().Handle<OrleansException>().Handle<TimeoutException>(),
            MaxRetryAttempts = 6,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
        }));
        services.AddSingleton<MqttConnection>();
        services.AddSingleton<IMqttPublisher>(sp => sp.GetRequiredService<MqttConnection>());
        services.AddSingleton(sp => new PayloadLimits { MaxPayloadBytes = sp.GetRequiredService<IOptions<MqttOptions>>().Value.MaxPayloadBytes });
        services.AddSingleton<GrainCallRetries>();
        services.AddInboundHandler<TelemetryHandler>();
        services.AddInboundHandler<NodeStatusHandler>();
        services.AddInboundHandler<MigrationEventHandler>();
        services.AddSingleton<InboundRouter>();
        services.AddSingleton<MqttBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttBridge>());
        return builder;
    }

    /// <summary>Registers the handler of one inbound message kind: the silo subscribes to its topics and routes them to it.</summary>
    public static IServiceCollection AddInboundHandler<THandler>(this IServiceCollection services)
        where THandler : class, IInboundHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInboundHandler, THandler>());
        return services;
    }
}
