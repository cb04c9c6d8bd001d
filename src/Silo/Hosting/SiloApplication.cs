using EdgeMigrate.Silo.Api;
using EdgeMigrate.Silo.Demo;

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
        builder.AddEdgeMigrateSilo();
        builder.AddDemoFleet();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.MapOperatorApi();
        return app;
    }
}
