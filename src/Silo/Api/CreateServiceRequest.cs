using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Api;

/// <summary>Body of <c>POST /api/services</c>; it checks itself and becomes the <see cref="ServiceSpec"/> the service grain takes.</summary>
public sealed record CreateServiceRequest
{
    public string? ServiceId { get; init; }
    public WorkloadEngine? Engine { get; init; }
    public string? Workload { get; init; }
    public string? NodeId { get; init; }
    public double? MemoryMiB { get; init; }
    public string? DeviceId { get; init; }
    public string? FleetId { get; init; }

    /// <summary>Problems by field (camelCase, as in the body); empty when the request is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!EntityId.IsValid(ServiceId)) { errors["serviceId"] = ["required; letters, digits, '-', '_', '.', ':' up to 128 characters"]; }
        if (Engine is null) { errors["engine"] = ["required: container or wasm"]; }
        if (string.IsNullOrWhiteSpace(Workload)) { errors["workload"] = ["required: the container bundle/image or wasm module name"]; }
        if (!EntityId.IsValid(NodeId)) { errors["nodeId"] = ["required: the node that runs the service now"]; }
        if (MemoryMiB is { } mem && !(mem > 0 && mem <= 1024 * 1024)) { errors["memoryMiB"] = ["must be within (0, 1048576]"]; }
        if (DeviceId is { } device && !EntityId.IsValid(device)) { errors["deviceId"] = ["not a valid device id"]; }
        if (FleetId is { } fleetId && !EntityId.IsValid(fleetId)) { errors["fleetId"] = ["not a valid fleet id"]; }
        return errors;
    }

    /// <summary>The spec of a valid request (call <see cref="Validate"/> first).</summary>
    public ServiceSpec ToSpec() => new()
    {
        ServiceId = ServiceId!,
        Engine = Engine!.Value,
        Workload = Workload!,
        NodeId = NodeId!,
        MemoryMiB = MemoryMiB ?? 64,
        DeviceId = DeviceId,
        FleetId = FleetId,
    };
}
