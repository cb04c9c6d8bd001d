using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains;

/// <summary>An operator's or a policy's request to move a service.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationRequest")]
public sealed record MigrationRequest
{
    [Id(0)] public required string TargetNodeId { get; init; }
    [Id(1)] public MigrationMode Mode { get; init; } = MigrationMode.PreCopy;
    [Id(2)] public string Reason { get; init; } = "operator";
    [Id(3)] public MigrationLimits? Limits { get; init; }
}
