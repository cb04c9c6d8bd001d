namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>What a frame on the agent ⇄ agent link carries. S = sender (source agent), R = receiver (target agent).</summary>
public enum FrameType : byte
{
    /// <summary>S→R: migration id, token, service (JSON).</summary>
    Hello = 1,

    /// <summary>R→S: accepted; the receiver's position (round, next frame) so the sender resumes from there.</summary>
    Welcome = 2,

    /// <summary>R→S: not authorised or not expected (JSON reason); the connection closes.</summary>
    Refused = 3,

    /// <summary>S→R, frame 0 of a round: the manifest (files, lengths, whole-file hashes).</summary>
    RoundBegin = 4,

    /// <summary>S→R: bytes of one file at an offset (changed pages, coalesced).</summary>
    Data = 5,

    /// <summary>S→R, last frame of a round: verify and apply; for the final round also restore.</summary>
    RoundEnd = 6,

    /// <summary>R→S: the round's files match the manifest.</summary>
    RoundAck = 7,

    /// <summary>R→S: frame <c>seq</c> of the round failed its checksum: send again from there.</summary>
    Nack = 8,

    /// <summary>R→S: the final round was restored and runs (JSON: downtime).</summary>
    Restored = 9,

    /// <summary>R→S: the restore failed (JSON reason); the sender rolls back.</summary>
    RestoreFailed = 10,

    /// <summary>S→R: the migration is abandoned; discard what was received.</summary>
    Abort = 11,

    /// <summary>Either way: an unrecoverable protocol error (JSON reason).</summary>
    Error = 12,
}
