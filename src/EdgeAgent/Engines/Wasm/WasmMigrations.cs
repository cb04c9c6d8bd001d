using System.Collections.Concurrent;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>
/// Migrations of wasm services on this agent, by migration id: what <see cref="MigrationCoordinator"/> hands
/// over when a command says <c>engine: wasm</c> (and commit/abort for those migrations). Same events as the
/// container engine, so the silo's saga does not care which engine ran.
/// </summary>
public sealed partial class WasmMigrations(MigrationContext context, WasmEngine engine, ILogger<WasmMigrations> logger)
{
    private readonly ConcurrentDictionary<string, WasmSourceMigration> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WasmTargetMigration> _targets = new(StringComparer.Ordinal);

    public WasmEngine Engine => engine;

    public WasmSourceMigration? Source(string migrationId) => _sources.GetValueOrDefault(migrationId);

    public WasmTargetMigration? Target(string migrationId) => _targets.GetValueOrDefault(migrationId);

    public bool Knows(string migrationId) => _sources.ContainsKey(migrationId) || _targets.ContainsKey(migrationId);

    /// <summary>Why this agent cannot take part in a wasm migration, or null.</summary>
    public string? WhyNot(NodeCommandMessage command) => engine.IsAvailable ? null : $"the wasm engine is unavailable on {context.Options.NodeId}: {engine.UnavailableReason}";

    /// <summary>Starts the source or target side of a validated migrate command.</summary>
    public async Task StartAsync(NodeCommandMessage command)
    {
        if (command.Role == MigrationRole.Target)
        {
            var target = new WasmTargetMigration(context, engine, command);
            _targets[command.MigrationId] = target;
            await target.StartAsync();
            LogStarted(logger, command.MigrationId, "target", command.ServiceId!);
            return;
        }

        var source = new WasmSourceMigration(context, engine, command);
        _sources[command.MigrationId] = source;
        source.Start();
        LogStarted(logger, command.MigrationId, "source", command.ServiceId!);
        _ = source.Run!.ContinueWith(_ => _sources.TryRemove(command.MigrationId, out WasmSourceMigration? _), TaskScheduler.Default);
    }

    /// <summary>True when the migration is a wasm one of this agent.</summary>
    public bool Commit(string migrationId)
    {
        if (_sources.TryGetValue(migrationId, out var source))
        {
            source.Commit();
            return true;
        }

        // The target side is done once it reported "restored".
        return _targets.TryRemove(migrationId, out _);
    }

    /// <summary>True when the migration is a wasm one of this agent.</summary>
    public async Task<bool> AbortAsync(string migrationId, string reason)
    {
        var known = false;
        if (_sources.TryGetValue(migrationId, out var source))
        {
            known = true;
            source.Abort(reason);
        }

        if (_targets.TryRemove(migrationId, out var target))
        {
            known = true;
            await target.AbortAsync(reason);
        }

        return known;
    }

    [LoggerMessage(EventId = 7300, Level = LogLevel.Information, Message = "Migration {MigrationId}: started as wasm {Role} of {ServiceId}")]
    private static partial void LogStarted(ILogger logger, string migrationId, string role, string serviceId);
}
