using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>How grains store and pass <see cref="MigrationLimits"/> (the ids are those it was persisted with: never renumber).</summary>
[GenerateSerializer, Alias("EdgeMigrate.Surrogates.MigrationLimits")]
public record struct MigrationLimitsSurrogate
{
    [Id(0)] public int MaxRounds;
    [Id(1)] public long StopThresholdBytes;
    [Id(2)] public double MaxMbps;
}
