namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>One file of a checkpoint: its length, an xxHash3 per 4 KiB block, and its whole-file xxHash128 (hex).</summary>
public sealed record FileDigest(string Name, long Length, ulong[] Blocks, string Xxh128);
