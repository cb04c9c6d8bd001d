namespace EdgeMigrate.Silo.Grains;

[GenerateSerializer, Alias("EdgeMigrate.Silo.CatalogState")]
public sealed class CatalogState
{
    [Id(0)] public SortedSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
