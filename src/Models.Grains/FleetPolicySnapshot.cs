namespace EdgeMigrate.Models.Grains;

[GenerateSerializer, Immutable, Alias("EdgeMigrate.FleetPolicySnapshot")]
public sealed record FleetPolicySnapshot
{
    [Id(0)] public required string FleetId { get; init; }
    [Id(1)] public required PolicySettings Settings { get; init; }
    [Id(2)] public DateTimeOffset? UpdatedAt { get; init; }
    [Id(3)] public int Revision { get; init; }
}
