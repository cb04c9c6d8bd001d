using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EdgeMigrate.Hosting;

public static class EdgeMigrateHostDefaults
{
    /// <summary>Every EdgeMigrate meter (<c>EdgeMigrate.Silo</c>, <c>EdgeMigrate.Agent</c>, ...), by OpenTelemetry's wildcard.</summary>
    public const string Meters = "EdgeMigrate.*";

    /// <summary>
    /// What every EdgeMigrate process sets up the same way: one-line console logs with millisecond times (EdgeMigrate at
    /// Information, the frameworks only when something is wrong), <see cref="TimeProvider.System"/> unless a test put
    /// its own clock in first, and the EdgeMigrate meters in OpenTelemetry as <paramref name="serviceName"/> (the
    /// <c>service_name</c> of <c>target_info</c>). <paramref name="export"/> adds the exporter
    /// (both serve Prometheus text on <c>/metrics</c>: the silo from its web host, the agent from its own listener)
    /// and any further meters.
    /// </summary>
    public static IHostApplicationBuilder AddEdgeMigrateDefaults(this IHostApplicationBuilder builder, string serviceName, Action<MeterProviderBuilder> export)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff "));
        builder.Logging
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information)
            .AddFilter("Orleans", LogLevel.Warning)
            .AddFilter("MQTTnet", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.Warning);

        // Tests register their clock before the defaults; keyed clocks (Orleans' grain clock) are not the default one.
        if (!builder.Services.Any(d => d.ServiceType == typeof(TimeProvider) && !d.IsKeyedService))
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
        }

        builder.Services.AddMetrics();
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(serviceName)).WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters);
            export(metrics);
        });
        return builder;
    }
}
