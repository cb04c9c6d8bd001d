using EdgeMigrate.Models.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/migrations</c>: the sagas with state, rounds, bytes, downtime, error and history.</summary>
public static class MigrationsEndpoints
{
    public static RouteGroupBuilder MapMigrations(this RouteGroupBuilder api)
    {
        var migrations = api.MapGroup("/migrations");
        migrations.MapGet("", ListAsync);
        migrations.MapGet("/{id}", GetAsync);
        return api;
    }

    public static async Task<Ok<List<MigrationSnapshot>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await CatalogListing.ListAsync(grains, CatalogKind.Migrations, id => grains.GetGrain<IMigrationGrain>(id).GetAsync()));

    public static async Task<Results<Ok<MigrationSnapshot>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, IGrainFactory grains) =>
        ApiProblems.InvalidId(id, "id", "migration") is { } invalid ? invalid
        : await grains.GetGrain<IMigrationGrain>(id).GetAsync() is { } migration ? TypedResults.Ok(migration)
        : ApiProblems.NotFound($"migration '{id}' does not exist");
}
