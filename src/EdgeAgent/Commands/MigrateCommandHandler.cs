using EdgeMigrate.EdgeAgent.Engines;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>
/// <c>migrate</c>: starts this node's side of a migration with the engine the command names. A command that is well-formed
/// but unusable here (no role, token or peer endpoint; an engine this agent lacks, or lacks now; a mode the engine does not
/// implement) is counted as <c>unusable-command</c> and answered with a "failed" event, so the saga rolls back at once
/// instead of timing out.
/// </summary>
public sealed partial class MigrateCommandHandler(
    MigrationEngines engines,
    RunningMigrations running,
    MigrationContext context,
    AgentMetrics metrics,
    ILogger<MigrateCommandHandler> logger) : ICommandHandler
{
    public NodeCommandKind Kind => NodeCommandKind.Migrate;

    public async Task HandleAsync(NodeCommandMessage command, CancellationToken cancellationToken)
    {
        var engine = engines.Find(command.Engine ?? WorkloadEngine.Container);
        var problem = WhyNot(command, engine);
        if (problem is null && running.Contains(command.MigrationId))
        {
            LogDuplicate(logger, command.MigrationId);
            return;
        }

        if (problem is not null)
        {
            metrics.CommandRejected("unusable-command");
            LogUnusable(logger, command.MigrationId, problem);
            await context.PublishAsync(command.MigrationId, MigrationEventPhase.Failed, error: problem);
            return;
        }

        var side = command.Role == MigrationRole.Target ? (IRunningMigration)engine!.CreateTarget(context, command) : engine!.CreateSource(context, command);
        if (!running.TryAdd(side))
        {
            LogDuplicate(logger, command.MigrationId);
            return;
        }

        if (side is TargetMigrationLifecycle target)
        {
            await target.StartAsync();
        }
        else
        {
            running.RunSource((SourceMigrationLifecycle)side);
        }

        LogStarted(logger, command.MigrationId, side.Role, command.ServiceId!, engine.Kind);
    }

    private string? WhyNot(NodeCommandMessage command, IMigrationEngine? engine)
    {
        var mode = command.Mode ?? MigrationMode.PreCopy;
        return command switch
        {
            { Role: null } => "role is required (source or target)",
            { ServiceId: var s } when !EntityId.IsValid(s) => "serviceId is required and must be a valid id",
            { Token: null or "" } => "token is required",
            _ when engine is null => $"engine {command.Engine} is not supported by this agent ({string.Join(" or ", engines.All.Select(e => e.Kind.ToWireName()))})",
            _ when engine.UnavailableReason is { } why => $"the {engine.Kind.ToWireName()} engine is unavailable on {context.Options.NodeId}: {why}",
            _ when !engine.Capabilities.Modes.Contains(mode) =>
                $"{mode.ToWireName()} is not implemented by this agent's {engine.Kind.ToWireName()} engine ({string.Join(" or ", engine.Capabilities.Modes.Order().Select(m => m.ToWireName()))})",
            { Role: MigrationRole.Source, PeerEndpoint: var ep } when !IsHostPort(ep) => "peerEndpoint (HOST:PORT of the target) is required for the source",
            _ => null,
        };
    }

    private static bool IsHostPort(string? endpoint) =>
        endpoint is not null && endpoint.LastIndexOf(':') is var colon and > 0 && int.TryParse(endpoint.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535;

    [LoggerMessage(EventId = 6200, Level = LogLevel.Information, Message = "Migration {MigrationId}: started as {Role} of {ServiceId} ({Engine})")]
    private static partial void LogStarted(ILogger logger, string migrationId, MigrationRole role, string serviceId, WorkloadEngine engine);

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Command rejected: migration {MigrationId}: {Problem}")]
    private static partial void LogUnusable(ILogger logger, string migrationId, string problem);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Information, Message = "Duplicate migrate command for {MigrationId} ignored")]
    private static partial void LogDuplicate(ILogger logger, string migrationId);
}
