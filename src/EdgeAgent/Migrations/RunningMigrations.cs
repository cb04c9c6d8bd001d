using System.Collections.Concurrent;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// The one registry of the migrations this agent takes part in, whatever their engine, by migration id. A source
/// leaves it when its run ends; a target when the silo commits or aborts (until then an abort can still remove a
/// restored copy).
/// </summary>
public sealed class RunningMigrations
{
    private readonly ConcurrentDictionary<string, IRunningMigration> _migrations = new(StringComparer.Ordinal);

    public int Count => _migrations.Count;

    public bool Contains(string migrationId) => _migrations.ContainsKey(migrationId);

    public IRunningMigration? Find(string migrationId) => _migrations.GetValueOrDefault(migrationId);

    /// <summary>Adds a migration; false when one with this id is already here (a duplicate command).</summary>
    public bool TryAdd(IRunningMigration migration) => _migrations.TryAdd(migration.MigrationId, migration);

    public bool TryRemove(string migrationId, out IRunningMigration? migration) => _migrations.TryRemove(migrationId, out migration);

    /// <summary>Starts a source and removes it from the registry when its run ends.</summary>
    public void RunSource(SourceMigrationLifecycle source)
    {
        source.Start();
        _ = source.Run!.ContinueWith(_ => _migrations.TryRemove(source.MigrationId, out IRunningMigration? _), TaskScheduler.Default);
    }
}
