using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>The migration id names directories and registry entries: it must be a valid id.</summary>
public sealed class MigrationIdCheck : ICommandCheck
{
    public CommandRefusal? Check(NodeCommandMessage command, ReceivedCommand received) =>
        EntityId.IsValid(command.MigrationId) ? null : new CommandRefusal("invalid-id", $"migrationId '{command.MigrationId}' is not a valid id");
}
