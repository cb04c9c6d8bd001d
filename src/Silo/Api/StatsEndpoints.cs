using EdgeMigrate.Silo.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/stats</c>: this silo's accepted inbound messages by kind and rejected ones by reason, since it started.</summary>
public static class StatsEndpoints
{
    public static RouteGroupBuilder MapStats(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", Get);
        return api;
    }

    public static Ok<IngestionStatistics> Get(IngestionMetrics metrics, ILocalSiloDetails silo) => TypedResults.Ok(metrics.Snapshot(silo.SiloAddress.ToString()));
}
