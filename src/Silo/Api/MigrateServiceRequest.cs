using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Silo.Api;

/// <summary>Body of <c>POST /api/services/{id}/migrate</c>.</summary>
public sealed record MigrateServiceRequest
{
    public string? TargetNodeId { get; init; }
    public MigrationMode? Mode { get; init; }
    public string? Reason { get; init; }

    /// <summary>Optional pre-copy bounds (round cap, stop threshold, rate cap); defaults when absent.</summary>
    public MigrationLimits? Limits { get; init; }
}
