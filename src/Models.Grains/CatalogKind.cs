namespace EdgeMigrate.Models.Grains;

/// <summary>Keys of the catalog grains that list what exists, for the operator API.</summary>
public static class CatalogKind
{
    public const string Nodes = "nodes";
    public const string Services = "services";
    public const string Migrations = "migrations";
    public const string Devices = "devices";
    public const string Fleets = "fleets";
}
