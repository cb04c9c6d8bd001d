namespace EdgeMigrate.Models;

public static class MigrationStateExtensions
{
    public static bool IsTerminal(this MigrationState state) =>
        state is MigrationState.Committed or MigrationState.RolledBack or MigrationState.Failed;
}
