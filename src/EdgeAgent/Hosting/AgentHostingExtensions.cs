using EdgeMigrate.EdgeAgent.Commands;
using EdgeMigrate.EdgeAgent.Engines;
using EdgeMigrate.EdgeAgent.Engines.Container;
using EdgeMigrate.EdgeAgent.Engines.Wasm;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Mqtt;
using EdgeMigrate.EdgeAgent.Status;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.EdgeAgent.Transfer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace EdgeMigrate.EdgeAgent.Hosting;

public static class AgentHostingExtensions
{
    /// <summary>Everything the agent needs: options (validated at start-up), MQTT, the command inbox, transfer server, engines, migrations.</summary>
    public static IHostApplicationBuilder AddEdgeAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<AgentOptions, AgentOptionsValidator>().Bind(builder.Configuration.GetSection(AgentOptions.Section));
        services.AddAgentPipelines();
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<TransferFaults>();
        services.AddSingleton(new TransferTimeouts());
        services.AddMigrationEngine<ContainerEngine>();
        services.AddWasmEngine();
        services.AddSingleton<MigrationEngines>();
        services.AddSingleton<RunningMigrations>();
        services.AddCommandCheck<MigrationIdCheck>();
        services.AddCommandHandler<MigrateCommandHandler>();
        services.AddCommandHandler<CommitCommandHandler>();
        services.AddCommandHandler<AbortCommandHandler>();
        services.AddSingleton<CommandInbox>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            AgentOptionsValidator.TryParseEndpoint(o.Listen, out var listen);
            return new TransferServer(listen ?? new System.Net.IPEndPoint(System.Net.IPAddress.Any, 7701), sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<ILogger<TransferServer>>());
        });
        services.AddSingleton<AgentMqttConnection>();
        services.AddSingleton<IMigrationEventSink>(sp => sp.GetRequiredService<AgentMqttConnection>());
        services.AddSingleton<NodeStatusProvider>();
        services.AddSingleton(sp => new MigrationContext
        {
            Options = sp.GetRequiredService<IOptions<AgentOptions>>().Value,
            Server = sp.GetRequiredService<TransferServer>(),
            Events = sp.GetRequiredService<IMigrationEventSink>(),
            TransferPipeline = sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(AgentPipelines.Transfer),
            Faults = sp.GetRequiredService<TransferFaults>(),
            Timeouts = sp.GetRequiredService<TransferTimeouts>(),
            Metrics = sp.GetRequiredService<AgentMetrics>(),
            Time = sp.GetRequiredService<TimeProvider>(),
            Loggers = sp.GetRequiredService<ILoggerFactory>(),
            ServicesChanged = () => sp.GetRequiredService<AgentMqttService>().PublishStatusAsync(CancellationToken.None),
        });
        services.AddSingleton<AgentMqttService>();
        services.AddHostedService<AgentStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentMqttService>());
        return builder;
    }
}
