using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>Carries out one kind of command (migrate, commit, abort; next: deploy, remove). Registered once with <c>AddCommandHandler&lt;T&gt;()</c>.</summary>
public interface ICommandHandler
{
    NodeCommandKind Kind { get; }

    /// <summary>Runs the command; it has passed every <see cref="ICommandCheck"/>. Long work runs here, off the MQTT receive loop.</summary>
    Task HandleAsync(NodeCommandMessage command, CancellationToken cancellationToken);
}
