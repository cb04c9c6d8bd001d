namespace EdgeMigrate.Models.Contracts;

/// <summary>Bounds on a pre-copy migration.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationLimits")]
public sealed record MigrationLimits
{
    [Id(0)] public int MaxRounds { get; init; } = 8;

    /// <summary>Stop iterating once the remaining dirty memory is at most this many bytes.</summary>
    [Id(1)] public long StopThresholdBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Transfer rate cap, Mbit/s; 0 means unlimited.</summary>
    [Id(2)] public double MaxMbps { get; init; }
}
