using EdgeMigrate.Models;

namespace EdgeMigrate.Silo.Api;

/// <summary>Body of <c>POST /api/services/{id}/migrate</c>.</summary>
public sealed record MigrateServiceRequest
{
    public string? TargetNodeId { get; init; }
    public MigrationMode? Mode { get; init; }
    public string? Reason { get; init; }
}
