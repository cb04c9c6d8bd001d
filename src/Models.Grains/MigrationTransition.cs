namespace EdgeMigrate.Models.Grains;

/// <summary>One step of a migration saga's history.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationTransition")]
public sealed record MigrationTransition
{
    [Id(0)] public required DateTimeOffset At { get; init; }
    [Id(1)] public required MigrationState State { get; init; }
    [Id(2)] public required string Note { get; init; }
}
