using System.Collections.Frozen;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.Hosting;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>
/// The one door for commands from the silo: the topic must be this node's command topic, the payload must parse
/// strictly, every <see cref="ICommandCheck"/> must pass, and then the handler of the command's kind runs it, off the
/// MQTT receive loop. A refused command is counted (<c>edgemigrate.agent.commands.rejected{reason}</c>) and logged, never
/// fatal, and changes nothing.
/// </summary>
public sealed partial class CommandInbox
{
    private static readonly PayloadLimits Limits = new();
    private readonly string _topic;
    private readonly ICommandCheck[] _checks;
    private readonly FrozenDictionary<NodeCommandKind, ICommandHandler> _handlers;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<CommandInbox> _logger;

    public CommandInbox(IOptions<AgentOptions> options, IEnumerable<ICommandCheck> checks, IEnumerable<ICommandHandler> handlers, AgentMetrics metrics, ILogger<CommandInbox> logger)
    {
        _topic = MqttTopics.NodeCommands(options.Value.NodeId);
        _checks = [.. checks];
        _handlers = OnePerKey.Index(handlers, h => h.Kind, "command handlers");
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Takes a command off the broker; returns the task that carries it out (completed at once when refused).</summary>
    public Task ReceiveAsync(ReceivedCommand received)
    {
        if (received.Topic != _topic)
        {
            return Task.CompletedTask;
        }

        var parsed = ContractParser.ParseCommand(received.Payload.Span, Limits);
        if (!parsed.IsValid)
        {
            Refuse(new CommandRefusal(parsed.Rejection.Reason.ToWireName(), parsed.Rejection.ToString()));
            return Task.CompletedTask;
        }

        var command = parsed.Value;
        foreach (var check in _checks)
        {
            if (check.Check(command, received) is { } refusal)
            {
                Refuse(refusal);
                return Task.CompletedTask;
            }
        }

        if (!_handlers.TryGetValue(command.Kind, out var handler))
        {
            Refuse(new CommandRefusal("unsupported-command", $"this agent has no handler for '{command.Kind}' commands"));
            return Task.CompletedTask;
        }

        // Never block the MQTT receive loop: a migration runs for seconds to minutes.
        return Task.Run(async () =>
        {
            try
            {
                await handler.HandleAsync(command, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogCommandFailed(_logger, command.Kind, command.MigrationId, ex);
            }
        });
    }

    private void Refuse(CommandRefusal refusal)
    {
        _metrics.CommandRejected(refusal.Reason);
        LogRejected(_logger, refusal.Detail);
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Command rejected: {Detail}")]
    private static partial void LogRejected(ILogger logger, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "{Kind} command for migration {MigrationId} failed")]
    private static partial void LogCommandFailed(ILogger logger, NodeCommandKind kind, string migrationId, Exception exception);
}
