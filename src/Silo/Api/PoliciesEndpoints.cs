using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/policies</c>: each fleet's handover policy (defaults until an operator sets one).</summary>
public static class PoliciesEndpoints
{
    public static RouteGroupBuilder MapPolicies(this RouteGroupBuilder api)
    {
        var policies = api.MapGroup("/policies");
        policies.MapGet("", ListAsync);
        policies.MapGet("/{fleet}", GetAsync);
        policies.MapPut("/{fleet}", SetAsync);
        return api;
    }

    public static async Task<Ok<List<FleetPolicySnapshot>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await CatalogListing.ListAsync(grains, CatalogKind.Fleets, async id => (FleetPolicySnapshot?)await grains.GetGrain<IFleetPolicyGrain>(id).GetAsync()));

    public static async Task<Results<Ok<FleetPolicySnapshot>, ValidationProblem>> GetAsync(string fleet, IGrainFactory grains) =>
        ApiProblems.InvalidId(fleet, "fleet", "fleet") is { } invalid ? invalid : TypedResults.Ok(await grains.GetGrain<IFleetPolicyGrain>(fleet).GetAsync());

    public static async Task<Results<Ok<FleetPolicySnapshot>, ValidationProblem>> SetAsync(string fleet, PolicySettings? settings, IGrainFactory grains)
    {
        if (ApiProblems.InvalidId(fleet, "fleet", "fleet") is { } invalid)
        {
            return invalid;
        }

        if (settings is null)
        {
            return ApiProblems.Invalid("body", "a JSON policy is required, e.g. {\"policy\":\"reactive\",\"hysteresisMs\":5}");
        }

        var problems = PolicyCatalog.Validate(settings, PolicyPlaces.Live);
        return problems.Count > 0
            ? ApiProblems.Invalid(new Dictionary<string, string[]> { ["policy"] = [.. problems] })
            : TypedResults.Ok(await grains.GetGrain<IFleetPolicyGrain>(fleet).SetAsync(settings));
    }
}
