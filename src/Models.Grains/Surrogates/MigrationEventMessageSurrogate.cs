using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>How grains store and pass <see cref="MigrationEventMessage"/> (the ids are those it was persisted with: never renumber).</summary>
[GenerateSerializer, Alias("EdgeMigrate.Surrogates.MigrationEventMessage")]
public record struct MigrationEventMessageSurrogate
{
    [Id(0)] public int SchemaVersion;
    [Id(1)] public string MigrationId;
    [Id(2)] public string NodeId;
    [Id(3)] public DateTimeOffset Timestamp;
    [Id(4)] public MigrationEventPhase Phase;
    [Id(5)] public int? Round;
    [Id(6)] public long? BytesSent;
    [Id(7)] public long? DirtyBytes;
    [Id(8)] public double? RateMbps;
    [Id(9)] public double? DowntimeMs;
    [Id(10)] public string? Error;
}
