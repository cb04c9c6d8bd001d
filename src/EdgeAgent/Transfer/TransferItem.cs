namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>A byte range of one file of a round: one data frame.</summary>
public readonly record struct TransferItem(int File, long Offset, int Length);
