namespace EdgeMigrate.Models.Contracts;

/// <summary>Bounds applied while reading inbound payloads.</summary>
public sealed record PayloadLimits
{
    public int MaxPayloadBytes { get; init; } = 16 * 1024;

    /// <summary>How far a device clock may run ahead of the silo's before its report is refused.</summary>
    public TimeSpan MaxClockAhead { get; init; } = TimeSpan.FromMinutes(5);

    public double MaxSpeedMps { get; init; } = 150;

    public int MaxRttEntries { get; init; } = 64;

    public double MaxRttMs { get; init; } = 60_000;
}
