using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Grains;

[GenerateSerializer, Alias("EdgeMigrate.Silo.MigrationSagaState")]
public sealed class MigrationSagaState
{
    [Id(0)] public MigrationSnapshot? Snapshot { get; set; }

    /// <summary>When the current phase times out; null once terminal.</summary>
    [Id(1)] public DateTimeOffset? Deadline { get; set; }
}
