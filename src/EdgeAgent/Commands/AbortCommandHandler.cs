using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary><c>abort</c>: the silo abandoned the migration; the source resumes its service, the target drops what it staged or restored.</summary>
public sealed partial class AbortCommandHandler(RunningMigrations running, ILogger<AbortCommandHandler> logger) : ICommandHandler
{
    public NodeCommandKind Kind => NodeCommandKind.Abort;

    public async Task HandleAsync(NodeCommandMessage command, CancellationToken cancellationToken)
    {
        var reason = command.Reason ?? "aborted by the silo";
        switch (running.Find(command.MigrationId))
        {
            case { Role: MigrationRole.Source } source:
                await source.AbortAsync(reason); // the source leaves the registry when its run ends
                break;
            case not null when running.TryRemove(command.MigrationId, out var target):
                await target!.AbortAsync(reason);
                break;
            default:
                LogUnknown(logger, command.MigrationId);
                break;
        }
    }

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "abort for unknown migration {MigrationId} ignored")]
    private static partial void LogUnknown(ILogger logger, string migrationId);
}
