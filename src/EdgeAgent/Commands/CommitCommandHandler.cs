using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary><c>commit</c>: the target runs the service, so the source may remove its frozen copy (a target is done and leaves the registry).</summary>
public sealed partial class CommitCommandHandler(RunningMigrations running, ILogger<CommitCommandHandler> logger) : ICommandHandler
{
    public NodeCommandKind Kind => NodeCommandKind.Commit;

    public Task HandleAsync(NodeCommandMessage command, CancellationToken cancellationToken)
    {
        switch (running.Find(command.MigrationId))
        {
            case { Role: MigrationRole.Source } source:
                source.Commit(); // the source leaves the registry when its run ends
                break;
            case { } target:
                target.Commit();
                running.TryRemove(command.MigrationId, out _);
                break;
            default:
                LogUnknown(logger, command.MigrationId);
                break;
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "commit for unknown migration {MigrationId} ignored")]
    private static partial void LogUnknown(ILogger logger, string migrationId);
}
