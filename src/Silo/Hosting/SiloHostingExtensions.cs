using EdgeMigrate.Silo.Decisions;
using EdgeMigrate.Silo.Migrations;
using EdgeMigrate.Silo.Mqtt;
using EdgeMigrate.Silo.Persistence;
using EdgeMigrate.Silo.Metrics;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using StackExchange.Redis;

namespace EdgeMigrate.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Wires the whole silo: options validated at start-up, Orleans (embedded store or Redis cluster),
    /// the MQTT broker/bridge, metrics and the operator API's services (logging, time and metrics export come from
    /// AddEdgeMigrateDefaults, shared with the agent).
    /// </summary>
    public static WebApplicationBuilder AddEdgeMigrateSilo(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<SiloOptions, SiloOptionsValidator>().BindConfiguration(SiloOptions.Section);
        services.AddOptionsWithValidateOnStart<MqttOptions, MqttOptionsValidator>().BindConfiguration(MqttOptions.Section);
        services.AddOptionsWithValidateOnStart<MigrationOptions, MigrationOptionsValidator>().BindConfiguration(MigrationOptions.Section);

        // Read once here (not through IOptions) because they decide which services exist at all.
        var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        var mqtt = builder.Configuration.GetSection(MqttOptions.Section).Get<MqttOptions>() ?? new MqttOptions();
        builder.WebHost.UseUrls($"http://{silo.HttpHost}:{silo.HttpPort}");

        builder.UseOrleans(orleans =>
        {
            if (silo.Redis is { Length: > 0 } redis)
            {
                orleans.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                orleans.Services.AddRedisGrainStorage(StorageNames.Default, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                orleans.Services.AddOptions<Orleans.Persistence.RedisStorageOptions>(StorageNames.Default)
                    .Configure<Orleans.Serialization.Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
                orleans.ConfigureEndpoints(System.Net.IPAddress.TryParse(silo.AdvertisedIp, out var ip) ? ip : System.Net.IPAddress.Loopback, silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
                orleans.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (silo.ClusterId, "edgemigrate"));
            }
            else
            {
                orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: "edgemigrate", clusterId: silo.ClusterId);
                orleans.Services.AddGrainStorage(StorageNames.Default, static (sp, _) => new SqliteGrainStorage(
                    Path.Combine(sp.GetRequiredService<IOptions<SiloOptions>>().Value.DataDir, "state.db"),
                    new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()),
                    sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
            }
        });

        services.AddSingleton<IngestionMetrics>();
        services.AddSingleton<DecisionMetrics>();
        services.AddSingleton<SiteDirectory>();
        services.AddSingleton<LiveHandoverDecider>();
        services.AddSingleton<HandoverModelHolder>();
        services.AddOptions<DecisionOptions>().BindConfiguration(DecisionOptions.Section);
        services.AddHostedService<HandoverModelLoader>();
        services.AddSingleton(sp => SigningKey.LoadOrCreate(sp.GetRequiredService<IOptions<SiloOptions>>().Value.DataDir));
        services.AddSingleton<MigrationTokenIssuer>();
        services.AddSingleton<AgentChannel>();
        builder.AddEdgeMigrateMqtt(mqtt.UsesEmbeddedBroker);

        services.AddHealthChecks().AddCheck<MqttHealthCheck>("mqtt");
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }
}
