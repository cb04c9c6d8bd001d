using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Grains;

[GenerateSerializer, Alias("EdgeMigrate.Silo.EdgeNodeState")]
public sealed class EdgeNodeState
{
    [Id(0)] public EdgeNodeSnapshot? Snapshot { get; set; }
    [Id(1)] public SortedSet<string> ActiveMigrations { get; set; } = new(StringComparer.Ordinal);
}
