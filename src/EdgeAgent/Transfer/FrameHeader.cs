namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// The fixed 44-byte header of every frame (big-endian): magic "EM", type, flags, migration tag (xxHash64 of
/// the migration id), round, sequence number within the round, file index, byte offset in that file (a
/// multiple of 4 KiB for page data: offset / 4096 is the page index), payload length, and an xxHash64 checksum
/// over the header's first 36 bytes and the payload.
/// </summary>
public readonly record struct FrameHeader(FrameType Type, ulong Tag, uint Round, uint Seq, uint File, ulong Offset, int Length);
