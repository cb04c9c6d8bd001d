namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Cost-model inputs in the units operators think in.</summary>
public sealed class MigrationSpec
{
    public double MemoryMiB { get; set; } = 256;

    public double DirtyRateMiBps { get; set; } = 4;

    public double BandwidthMbps { get; set; } = 100;

    public double StopThresholdMiB { get; set; } = 4;

    public int MaxRounds { get; set; } = 8;

    public double FixedDowntimeSeconds { get; set; } = 0.2;

    /// <summary>Seconds each live round spends besides sending (e.g. a CRIU dump); pages keep getting dirtied meanwhile. 0: none.</summary>
    public double RoundOverheadSeconds { get; set; }

    /// <summary>Seconds from the decision to the first live round (commands, the bundle); adds to the duration only. 0: none.</summary>
    public double SetupSeconds { get; set; }

    /// <summary><c>pre-copy</c>, <c>stop-and-copy</c> or <c>post-copy</c>.</summary>
    public string Mode { get; set; } = "pre-copy";
}
