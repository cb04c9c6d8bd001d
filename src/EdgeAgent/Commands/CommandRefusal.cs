namespace EdgeMigrate.EdgeAgent.Commands;

/// <summary>Why a command is not carried out: the counted reason (<c>edgemigrate.agent.commands.rejected{reason}</c>) and a detail for the log.</summary>
public sealed record CommandRefusal(string Reason, string Detail);
