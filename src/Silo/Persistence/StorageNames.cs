namespace EdgeMigrate.Silo.Persistence;

public static class StorageNames
{
    /// <summary>The grain storage every EdgeMigrate grain uses: SQLite in the data dir, or Redis in a cluster.</summary>
    public const string Default = "edgemigrate";
}
