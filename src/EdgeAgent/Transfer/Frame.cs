namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>A frame read off the wire; <see cref="Valid"/> is false when its checksum did not match.</summary>
public sealed record Frame(FrameHeader Header, byte[] Payload, bool Valid);
