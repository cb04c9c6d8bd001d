using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>
/// A check every parsed command passes before it is dispatched (<see cref="CommandInbox"/>), e.g. that its ids are
/// valid; next, that the silo signed it, that it has not expired and that its nonce is new. Registered once with
/// <c>AddCommandCheck&lt;T&gt;()</c>; checks run in registration order and the first refusal wins.
/// </summary>
public interface ICommandCheck
{
    /// <summary>Null when the command may go on; otherwise why not (counted and logged, the command is dropped).</summary>
    CommandRefusal? Check(NodeCommandMessage command, ReceivedCommand received);
}
