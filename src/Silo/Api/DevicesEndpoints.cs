using EdgeMigrate.Models.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/devices</c>: device ids, and one device's last accepted report with its counters.</summary>
public static class DevicesEndpoints
{
    public static RouteGroupBuilder MapDevices(this RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices");
        devices.MapGet("", ListAsync);
        devices.MapGet("/{id}", GetAsync);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<string>>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ICatalogGrain>(CatalogKind.Devices).ListAsync());

    public static async Task<Results<Ok<DeviceSnapshot>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, IGrainFactory grains) =>
        ApiProblems.InvalidId(id, "id", "device") is { } invalid ? invalid
        : await grains.GetGrain<IDeviceGrain>(id).GetAsync() is { } device ? TypedResults.Ok(device)
        : ApiProblems.NotFound($"device '{id}' is unknown: no telemetry from it was accepted");
}
