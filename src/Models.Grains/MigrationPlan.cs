using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains;

/// <summary>A checked request: both nodes known, online, able to run the engine. Starts a migration saga.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationPlan")]
public sealed record MigrationPlan
{
    [Id(0)] public required string MigrationId { get; init; }
    [Id(1)] public required string ServiceId { get; init; }
    [Id(2)] public required string SourceNodeId { get; init; }
    [Id(3)] public required string TargetNodeId { get; init; }
    [Id(4)] public required MigrationMode Mode { get; init; }
    [Id(5)] public required WorkloadEngine Engine { get; init; }
    [Id(6)] public required string Workload { get; init; }
    [Id(7)] public string? SourceEndpoint { get; init; }
    [Id(8)] public string? TargetEndpoint { get; init; }
    [Id(9)] public required string Reason { get; init; }
    [Id(10)] public MigrationLimits Limits { get; init; } = new();
}
