using EdgeMigrate.Models.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/services</c>: register services, see where each runs, and move one (a migration saga).</summary>
public static class ServicesEndpoints
{
    public static RouteGroupBuilder MapServices(this RouteGroupBuilder api)
    {
        var services = api.MapGroup("/services");
        services.MapGet("", ListAsync);
        services.MapGet("/{id}", GetAsync);
        services.MapPost("", CreateAsync);
        services.MapPost("/{id}/migrate", MigrateAsync);
        return api;
    }

    public static async Task<Ok<List<ServiceSnapshot>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await CatalogListing.ListAsync(grains, CatalogKind.Services, id => grains.GetGrain<IServiceGrain>(id).GetAsync()));

    public static async Task<Results<Ok<ServiceSnapshot>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, IGrainFactory grains) =>
        ApiProblems.InvalidId(id, "id", "service") is { } invalid ? invalid
        : await grains.GetGrain<IServiceGrain>(id).GetAsync() is { } service ? TypedResults.Ok(service)
        : ApiProblems.NotFound($"service '{id}' does not exist");

    public static async Task<Results<Created<ServiceSnapshot>, ProblemHttpResult, ValidationProblem>> CreateAsync(CreateServiceRequest? request, IGrainFactory grains)
    {
        if (request is null)
        {
            return ApiProblems.Invalid("body", "a JSON body is required");
        }

        if (request.Validate() is { Count: > 0 } errors)
        {
            return ApiProblems.Invalid(errors);
        }

        var spec = request.ToSpec();
        if (await grains.GetGrain<IEdgeNodeGrain>(spec.NodeId).GetAsync() is null)
        {
            return ApiProblems.NotFound($"node '{spec.NodeId}' is unknown: no agent has reported it");
        }

        var created = await grains.GetGrain<IServiceGrain>(spec.ServiceId).CreateAsync(spec);
        return created is null
            ? ApiProblems.Conflict($"service '{spec.ServiceId}' already exists with a different definition")
            : TypedResults.Created($"/api/services/{spec.ServiceId}", created);
    }

    public static async Task<Results<Accepted<MigrationSnapshot>, ProblemHttpResult, ValidationProblem>> MigrateAsync(string id, MigrateServiceRequest? request, IGrainFactory grains)
    {
        if (ApiProblems.InvalidId(id, "id", "service") is { } invalid)
        {
            return invalid;
        }

        if (request is null)
        {
            return ApiProblems.Invalid("targetNodeId", MigrateServiceRequest.TargetRequired);
        }

        if (request.Validate() is { Count: > 0 } errors)
        {
            return ApiProblems.Invalid(errors);
        }

        var outcome = await grains.GetGrain<IServiceGrain>(id).RequestMigrationAsync(request.ToMigrationRequest());
        return outcome.Migration is { } migration
            ? TypedResults.Accepted($"/api/migrations/{migration.MigrationId}", migration)
            : ApiProblems.Refused(outcome.Refusal!.Value, outcome.Reason!);
    }
}
