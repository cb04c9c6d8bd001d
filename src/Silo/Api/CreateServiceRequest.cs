using EdgeMigrate.Models;

namespace EdgeMigrate.Silo.Api;

/// <summary>Body of <c>POST /api/services</c>.</summary>
public sealed record CreateServiceRequest
{
    public string? ServiceId { get; init; }
    public WorkloadEngine? Engine { get; init; }
    public string? Workload { get; init; }
    public string? NodeId { get; init; }
    public double? MemoryMiB { get; init; }
    public string? DeviceId { get; init; }
    public string? FleetId { get; init; }
}
