namespace EdgeMigrate.Silo.Api;

/// <summary>
/// The operator HTTP API (JSON; errors as RFC 7807 problem details), one endpoint group per resource in its own
/// <c>*Endpoints</c> class. Documented in docs/operator-api.md.
/// </summary>
public static class OperatorApi
{
    public static WebApplication MapOperatorApi(this WebApplication app)
    {
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGroup("/api")
            .MapNodes()
            .MapDevices()
            .MapServices()
            .MapMigrations()
            .MapPolicies()
            .MapModel()
            .MapStats();
        return app;
    }
}
