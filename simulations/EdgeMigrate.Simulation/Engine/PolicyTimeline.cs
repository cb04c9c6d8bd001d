namespace EdgeMigrate.Simulation.Engine;

/// <summary>Per-step series of one policy, for plots.</summary>
public sealed class PolicyTimeline(int steps)
{
    /// <summary>Mean service latency of active devices at each step (NaN when none is active).</summary>
    public double[] MeanLatencyMs { get; } = new double[steps];

    /// <summary>Devices violating the SLA (latency or downtime) at each step.</summary>
    public int[] Violating { get; } = new int[steps];

    /// <summary>Migrations started up to and including each step.</summary>
    public int[] CumulativeMigrations { get; } = new int[steps];
}
