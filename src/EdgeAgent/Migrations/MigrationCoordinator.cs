using System.Collections.Concurrent;
using EdgeMigrate.EdgeAgent.Engines.Wasm;
using EdgeMigrate.EdgeAgent.Telemetry;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// Turns valid commands into source and target migrations. Commands that are well-formed JSON but unusable
/// (missing role, token, peer endpoint, unsupported engine) are counted as rejected and, when they name a
/// migration, answered with a "failed" event so the saga rolls back at once instead of timing out.
/// </summary>
public sealed partial class MigrationCoordinator(MigrationContext context, WasmMigrations wasm, AgentMetrics metrics, ILogger<MigrationCoordinator> logger)
{
    private readonly ConcurrentDictionary<string, SourceMigration> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TargetMigration> _targets = new(StringComparer.Ordinal);

    public MigrationContext Context => context;

    public SourceMigration? Source(string migrationId) => _sources.GetValueOrDefault(migrationId);

    public TargetMigration? Target(string migrationId) => _targets.GetValueOrDefault(migrationId);

    public async Task HandleAsync(NodeCommandMessage command, CancellationToken cancellationToken)
    {
        if (!EntityId.IsValid(command.MigrationId))
        {
            Reject("invalid-id", $"migrationId '{command.MigrationId}' is not a valid id");
            return;
        }

        switch (command.Kind)
        {
            case NodeCommandKind.Migrate:
                await MigrateAsync(command);
                break;
            case NodeCommandKind.Commit when wasm.Commit(command.MigrationId):
                break;
            case NodeCommandKind.Commit:
                if (_sources.TryGetValue(command.MigrationId, out var committed))
                {
                    committed.Commit();
                }
                else
                {
                    LogUnknown(logger, "commit", command.MigrationId);
                }

                break;
            case NodeCommandKind.Abort:
                var known = await wasm.AbortAsync(command.MigrationId, command.Reason ?? "aborted by the silo");
                if (_sources.TryGetValue(command.MigrationId, out var source))
                {
                    known = true;
                    source.Abort(command.Reason ?? "aborted by the silo");
                }

                if (_targets.TryRemove(command.MigrationId, out var target))
                {
                    known = true;
                    await target.AbortAsync(command.Reason ?? "aborted by the silo");
                }

                if (!known)
                {
                    LogUnknown(logger, "abort", command.MigrationId);
                }

                break;
        }
    }

    private async Task MigrateAsync(NodeCommandMessage command)
    {
        var problem = command switch
        {
            { Role: null } => "role is required (source or target)",
            { ServiceId: var s } when !EntityId.IsValid(s) => "serviceId is required and must be a valid id",
            { Token: null or "" } => "token is required",
            { Engine: not null and not WorkloadEngine.Container and not WorkloadEngine.Wasm } => $"engine {command.Engine} is not supported by this agent (container or wasm)",
            { Engine: WorkloadEngine.Wasm } when wasm.WhyNot(command) is { } why => why,
            { Mode: MigrationMode.PostCopy } => "post-copy is not implemented by this agent (pre-copy or stop-and-copy)",
            { Role: MigrationRole.Source, PeerEndpoint: var ep } when !IsHostPort(ep) => "peerEndpoint (HOST:PORT of the target) is required for the source",
            _ => null,
        };
        if (problem is null && (_sources.ContainsKey(command.MigrationId) || _targets.ContainsKey(command.MigrationId) || wasm.Knows(command.MigrationId)))
        {
            LogDuplicate(logger, command.MigrationId);
            return;
        }

        if (problem is not null)
        {
            Reject("unusable-command", $"migration {command.MigrationId}: {problem}");
            await context.PublishAsync(command.MigrationId, MigrationEventPhase.Failed, error: problem);
            return;
        }

        if (command.Engine == WorkloadEngine.Wasm)
        {
            await wasm.StartAsync(command);
            return;
        }

        if (command.Role == MigrationRole.Target)
        {
            var target = new TargetMigration(context, command);
            _targets[command.MigrationId] = target;
            await target.StartAsync();
            LogStarted(logger, command.MigrationId, "target", command.ServiceId!);
            return;
        }

        var migration = new SourceMigration(context, command);
        _sources[command.MigrationId] = migration;
        migration.Start();
        LogStarted(logger, command.MigrationId, "source", command.ServiceId!);
        _ = migration.Run!.ContinueWith(_ => _sources.TryRemove(command.MigrationId, out SourceMigration? _), TaskScheduler.Default);
    }

    private void Reject(string reason, string detail)
    {
        metrics.CommandRejected(reason);
        LogRejected(logger, detail);
    }

    private static bool IsHostPort(string? endpoint) =>
        endpoint is not null && endpoint.LastIndexOf(':') is var colon and > 0 && int.TryParse(endpoint.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535;

    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Migration {MigrationId}: started as {Role} of {ServiceId}")]
    private static partial void LogStarted(ILogger logger, string migrationId, string role, string serviceId);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Command rejected: {Detail}")]
    private static partial void LogRejected(ILogger logger, string detail);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "{Kind} for unknown migration {MigrationId} ignored")]
    private static partial void LogUnknown(ILogger logger, string kind, string migrationId);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Duplicate migrate command for {MigrationId} ignored")]
    private static partial void LogDuplicate(ILogger logger, string migrationId);
}
