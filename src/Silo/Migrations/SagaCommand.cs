using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>A follow-up command the saga sends an agent (commit to the source, abort to either side).</summary>
public sealed record SagaCommand(string NodeId, NodeCommandKind Kind, string Reason);
