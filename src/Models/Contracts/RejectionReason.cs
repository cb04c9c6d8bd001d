namespace EdgeMigrate.Models.Contracts;

/// <summary>Why an inbound payload was refused. Each is counted separately (metrics and <c>GET /api/stats</c>).</summary>
public enum RejectionReason
{
    Oversized,
    MalformedJson,
    NotAnObject,
    MissingSchemaVersion,
    UnsupportedSchemaVersion,
    MissingField,
    WrongFieldType,
    OutOfRange,
    InvalidId,
    IdMismatch,
    UnknownTopic,
    UnknownNode,
    UnknownMigration,
    ClockSkew,

    /// <summary>A migration event that does not fit the saga: wrong node, wrong phase, or after the end.</summary>
    OutOfSequence,
}
