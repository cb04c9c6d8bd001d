using EdgeMigrate.Silo.Api;

namespace EdgeMigrate.Silo.Hosting;

/// <summary>Builds the silo's web application from configuration values; used by Program and by tests.</summary>
public static class SiloApplication
{
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        // What an operator watches: EdgeMigrate at Information, the frameworks only when something is wrong.
        builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Orleans", LogLevel.Warning).AddFilter("MQTTnet", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
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
