using EdgeMigrate.EdgeAgent.Transfer;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>
/// One round an engine captured on the source: what crosses the wire, and how many bytes the engine counts as
/// dirty (reported in the round's event and compared with the stop threshold).
/// </summary>
public sealed record CapturedRound(TransferRound Transfer, long DirtyBytes);
