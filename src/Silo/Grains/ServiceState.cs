using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Grains;

[GenerateSerializer, Alias("EdgeMigrate.Silo.ServiceState")]
public sealed class ServiceState
{
    [Id(0)] public ServiceSnapshot? Snapshot { get; set; }

    /// <summary>Counts every started migration, so migration ids never repeat.</summary>
    [Id(1)] public int MigrationAttempts { get; set; }
}
