namespace EdgeMigrate.Models.Grains;

/// <summary>Either the started migration or why none was started.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationRequestOutcome")]
public sealed record MigrationRequestOutcome
{
    [Id(0)] public MigrationSnapshot? Migration { get; init; }
    [Id(1)] public MigrationRefusal? Refusal { get; init; }
    [Id(2)] public string? Reason { get; init; }

    public static MigrationRequestOutcome Started(MigrationSnapshot migration) => new() { Migration = migration };

    public static MigrationRequestOutcome Refused(MigrationRefusal refusal, string reason) => new() { Refusal = refusal, Reason = reason };
}
