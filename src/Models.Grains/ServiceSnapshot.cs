namespace EdgeMigrate.Models.Grains;

[GenerateSerializer, Immutable, Alias("EdgeMigrate.ServiceSnapshot")]
public sealed record ServiceSnapshot
{
    [Id(0)] public required ServiceSpec Spec { get; init; }

    /// <summary>The node that serves the service now.</summary>
    [Id(1)] public required string NodeId { get; init; }
    [Id(2)] public string? ActiveMigrationId { get; init; }
    [Id(3)] public int CompletedMigrations { get; init; }
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(5)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(6)] public string? LastMigrationId { get; init; }
}
