using EdgeMigrate.Models.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/nodes</c>: edge nodes as their agents last reported them.</summary>
public static class NodesEndpoints
{
    public static RouteGroupBuilder MapNodes(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes");
        nodes.MapGet("", ListAsync);
        nodes.MapGet("/{id}", GetAsync);
        return api;
    }

    public static async Task<Ok<List<EdgeNodeSnapshot>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await CatalogListing.ListAsync(grains, CatalogKind.Nodes, id => grains.GetGrain<IEdgeNodeGrain>(id).GetAsync()));

    public static async Task<Results<Ok<EdgeNodeSnapshot>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, IGrainFactory grains) =>
        ApiProblems.InvalidId(id, "id", "node") is { } invalid ? invalid
        : await grains.GetGrain<IEdgeNodeGrain>(id).GetAsync() is { } node ? TypedResults.Ok(node)
        : ApiProblems.NotFound($"node '{id}' is unknown: no agent has reported it");
}
