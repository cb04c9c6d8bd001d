namespace EdgeMigrate.Models.Contracts;

/// <summary>Bounds on a pre-copy migration.</summary>
public sealed record MigrationLimits
{
    public int MaxRounds { get; init; } = 8;

    /// <summary>Stop iterating once the remaining dirty memory is at most this many bytes.</summary>
    public long StopThresholdBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Transfer rate cap, Mbit/s; 0 means unlimited.</summary>
    public double MaxMbps { get; init; }
}
