using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Silo.Decisions;
using EdgeMigrate.Silo.Telemetry;

namespace EdgeMigrate.Silo.Api;

/// <summary>The operator HTTP API (JSON; errors as RFC 7807 problem details). Documented in docs/operator-api.md.</summary>
public static class OperatorApi
{
    public static WebApplication MapOperatorApi(this WebApplication app)
    {
        app.MapHealthChecks("/healthz");
        app.MapPrometheusScrapingEndpoint("/metrics");
        var api = app.MapGroup("/api");

        api.MapGet("/nodes", async (IGrainFactory grains) => Results.Ok(await ListAsync(grains, CatalogKind.Nodes, id => grains.GetGrain<IEdgeNodeGrain>(id).GetAsync())));
        api.MapGet("/nodes/{id}", async (string id, IGrainFactory grains) =>
            !EntityId.IsValid(id) ? ApiProblems.Invalid("id", "not a valid node id")
            : await grains.GetGrain<IEdgeNodeGrain>(id).GetAsync() is { } node ? Results.Ok(node)
            : ApiProblems.NotFound($"node '{id}' is unknown: no agent has reported it"));

        api.MapGet("/devices", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<ICatalogGrain>(CatalogKind.Devices).ListAsync()));
        api.MapGet("/devices/{id}", async (string id, IGrainFactory grains) =>
            !EntityId.IsValid(id) ? ApiProblems.Invalid("id", "not a valid device id")
            : await grains.GetGrain<IDeviceGrain>(id).GetAsync() is { } device ? Results.Ok(device)
            : ApiProblems.NotFound($"device '{id}' is unknown: no telemetry from it was accepted"));

        api.MapGet("/services", async (IGrainFactory grains) => Results.Ok(await ListAsync(grains, CatalogKind.Services, id => grains.GetGrain<IServiceGrain>(id).GetAsync())));
        api.MapGet("/services/{id}", async (string id, IGrainFactory grains) =>
            !EntityId.IsValid(id) ? ApiProblems.Invalid("id", "not a valid service id")
            : await grains.GetGrain<IServiceGrain>(id).GetAsync() is { } service ? Results.Ok(service)
            : ApiProblems.NotFound($"service '{id}' does not exist"));
        api.MapPost("/services", CreateServiceAsync);
        api.MapPost("/services/{id}/migrate", MigrateServiceAsync);

        api.MapGet("/migrations", async (IGrainFactory grains) => Results.Ok(await ListAsync(grains, CatalogKind.Migrations, id => grains.GetGrain<IMigrationGrain>(id).GetAsync())));
        api.MapGet("/migrations/{id}", async (string id, IGrainFactory grains) =>
            !EntityId.IsValid(id) ? ApiProblems.Invalid("id", "not a valid migration id")
            : await grains.GetGrain<IMigrationGrain>(id).GetAsync() is { } migration ? Results.Ok(migration)
            : ApiProblems.NotFound($"migration '{id}' does not exist"));

        api.MapGet("/policies", async (IGrainFactory grains) => Results.Ok(await ListAsync(grains, CatalogKind.Fleets, async id => (FleetPolicySnapshot?)await grains.GetGrain<IFleetPolicyGrain>(id).GetAsync())));
        api.MapGet("/policies/{fleet}", async (string fleet, IGrainFactory grains) =>
            !EntityId.IsValid(fleet) ? ApiProblems.Invalid("fleet", "not a valid fleet id") : Results.Ok(await grains.GetGrain<IFleetPolicyGrain>(fleet).GetAsync()));
        api.MapPut("/policies/{fleet}", async (string fleet, PolicySettings? settings, IGrainFactory grains) =>
        {
            if (!EntityId.IsValid(fleet))
            {
                return ApiProblems.Invalid("fleet", "not a valid fleet id");
            }

            if (settings is null)
            {
                return ApiProblems.Invalid("body", "a JSON policy is required, e.g. {\"policy\":\"reactive\",\"hysteresisMs\":5}");
            }

            var problems = PolicyCatalog.Validate(settings, PolicyPlaces.Live);
            return problems.Count > 0
                ? ApiProblems.Invalid(new Dictionary<string, string[]> { ["policy"] = [.. problems] })
                : Results.Ok(await grains.GetGrain<IFleetPolicyGrain>(fleet).SetAsync(settings));
        });

        api.MapGet("/model", (HandoverModelHolder models) => models.Current is { } model
            ? Results.Ok(HandoverModelInfo.Of(model))
            : ApiProblems.NotFound("no handover model is loaded: start the silo with --model FILE or PUT one to /api/model"));
        api.MapPut("/model", async (HttpRequest request, HandoverModelHolder models) =>
        {
            // The body is the model file itself (application/zip); it is read whole, so a broken upload changes nothing.
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            body.Position = 0;
            try
            {
                return Results.Ok(HandoverModelInfo.Of(models.Load(body, $"upload {request.HttpContext.TraceIdentifier}")));
            }
            catch (HandoverModelException ex)
            {
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The model was refused; the current one stays");
            }
        });

        api.MapGet("/stats", (IngestionMetrics metrics, ILocalSiloDetails silo) => Results.Ok(metrics.Snapshot(silo.SiloAddress.ToString())));
        return app;
    }

    private static async Task<IResult> CreateServiceAsync(CreateServiceRequest? request, IGrainFactory grains)
    {
        if (request is null)
        {
            return ApiProblems.Invalid("body", "a JSON body is required");
        }

        var errors = new Dictionary<string, string[]>();
        if (!EntityId.IsValid(request.ServiceId)) { errors["serviceId"] = ["required; letters, digits, '-', '_', '.', ':' up to 128 characters"]; }
        if (request.Engine is null) { errors["engine"] = ["required: container or wasm"]; }
        if (string.IsNullOrWhiteSpace(request.Workload)) { errors["workload"] = ["required: the container bundle/image or wasm module name"]; }
        if (!EntityId.IsValid(request.NodeId)) { errors["nodeId"] = ["required: the node that runs the service now"]; }
        if (request.MemoryMiB is { } mem && !(mem > 0 && mem <= 1024 * 1024)) { errors["memoryMiB"] = ["must be within (0, 1048576]"]; }
        if (request.DeviceId is { } device && !EntityId.IsValid(device)) { errors["deviceId"] = ["not a valid device id"]; }
        if (request.FleetId is { } fleetId && !EntityId.IsValid(fleetId)) { errors["fleetId"] = ["not a valid fleet id"]; }
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await grains.GetGrain<IEdgeNodeGrain>(request.NodeId!).GetAsync() is null)
        {
            return ApiProblems.NotFound($"node '{request.NodeId}' is unknown: no agent has reported it");
        }

        var spec = new ServiceSpec
        {
            ServiceId = request.ServiceId!,
            Engine = request.Engine!.Value,
            Workload = request.Workload!,
            NodeId = request.NodeId!,
            MemoryMiB = request.MemoryMiB ?? 64,
            DeviceId = request.DeviceId,
            FleetId = request.FleetId,
        };
        var created = await grains.GetGrain<IServiceGrain>(spec.ServiceId).CreateAsync(spec);
        return created is null
            ? ApiProblems.Conflict($"service '{spec.ServiceId}' already exists with a different definition")
            : Results.Created($"/api/services/{spec.ServiceId}", created);
    }

    private static async Task<IResult> MigrateServiceAsync(string id, MigrateServiceRequest? request, IGrainFactory grains)
    {
        if (!EntityId.IsValid(id))
        {
            return ApiProblems.Invalid("id", "not a valid service id");
        }

        if (request is null || !EntityId.IsValid(request.TargetNodeId))
        {
            return ApiProblems.Invalid("targetNodeId", "required: the node to move the service to");
        }

        if (request.Limits is { } limits && !(limits.MaxRounds is >= 1 and <= 64 && limits.StopThresholdBytes >= 0 && limits.MaxMbps >= 0 && double.IsFinite(limits.MaxMbps)))
        {
            return ApiProblems.Invalid("limits", "maxRounds must be within [1, 64]; stopThresholdBytes and maxMbps must not be negative");
        }

        var outcome = await grains.GetGrain<IServiceGrain>(id).RequestMigrationAsync(new MigrationRequest
        {
            TargetNodeId = request.TargetNodeId!,
            Mode = request.Mode ?? MigrationMode.PreCopy,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? "operator" : request.Reason,
            Limits = request.Limits,
        });
        return outcome.Migration is { } migration
            ? Results.Accepted($"/api/migrations/{migration.MigrationId}", migration)
            : ApiProblems.Refused(outcome.Refusal!.Value, outcome.Reason!);
    }

    private static async Task<List<T>> ListAsync<T>(IGrainFactory grains, string kind, Func<string, Task<T?>> get) where T : class
    {
        var ids = await grains.GetGrain<ICatalogGrain>(kind).ListAsync();
        var items = await Task.WhenAll(ids.Select(get));
        return [.. items.OfType<T>()];
    }
}
