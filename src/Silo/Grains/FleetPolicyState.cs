using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Grains;

[GenerateSerializer, Alias("EdgeMigrate.Silo.FleetPolicyState")]
public sealed class FleetPolicyState
{
    [Id(0)] public PolicySettings? Settings { get; set; }
    [Id(1)] public DateTimeOffset? UpdatedAt { get; set; }
    [Id(2)] public int Revision { get; set; }
}
