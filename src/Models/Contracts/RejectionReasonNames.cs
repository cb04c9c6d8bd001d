namespace EdgeMigrate.Models.Contracts;

public static class RejectionReasonNames
{
    /// <summary>Stable kebab-case name used in metrics tags, logs and the stats API.</summary>
    public static string ToWireName(this RejectionReason reason) => reason switch
    {
        RejectionReason.Oversized => "oversized",
        RejectionReason.MalformedJson => "malformed-json",
        RejectionReason.NotAnObject => "not-an-object",
        RejectionReason.MissingSchemaVersion => "missing-schema-version",
        RejectionReason.UnsupportedSchemaVersion => "unsupported-schema-version",
        RejectionReason.MissingField => "missing-field",
        RejectionReason.WrongFieldType => "wrong-field-type",
        RejectionReason.OutOfRange => "out-of-range",
        RejectionReason.InvalidId => "invalid-id",
        RejectionReason.IdMismatch => "id-mismatch",
        RejectionReason.UnknownTopic => "unknown-topic",
        RejectionReason.UnknownNode => "unknown-node",
        RejectionReason.UnknownMigration => "unknown-migration",
        RejectionReason.ClockSkew => "clock-skew",
        RejectionReason.OutOfSequence => "out-of-sequence",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
