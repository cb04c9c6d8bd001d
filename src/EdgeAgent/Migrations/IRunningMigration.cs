using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>One side of a migration this agent takes part in, as the registry and the follow-up commands see it.</summary>
public interface IRunningMigration
{
    string MigrationId { get; }

    string ServiceId { get; }

    MigrationRole Role { get; }

    /// <summary>The silo committed: the source removes its frozen copy; the target has nothing left to do.</summary>
    void Commit();

    /// <summary>The silo abandoned the migration: the source resumes, the target discards what it received or restored.</summary>
    Task AbortAsync(string reason);
}
