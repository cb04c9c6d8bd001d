using EdgeMigrate.Hosting;
using EdgeMigrate.Silo.Api;
using OpenTelemetry.Metrics;

namespace EdgeMigrate.Silo.Hosting;

/// <summary>Builds the silo's web application from configuration values; used by Program and by tests.</summary>
public static class SiloApplication
{
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        // Metrics on the web host's /metrics (MapPrometheusScrapingEndpoint), Orleans' own meter included.
        builder.AddEdgeMigrateDefaults("edgemigrate-silo", metrics => metrics.AddMeter("Microsoft.Orleans").AddPrometheusExporter());
        // Orleans 10.4's watchdog warns once at start-up with the machine's uptime as the "stall": noise, not news.
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.AddEdgeMigrateSilo();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.MapOperatorApi();
        return app;
    }
}
