namespace EdgeMigrate.Simulation.Engine;

/// <summary>One policy's results, as in summary.json. Definitions: docs/simulator.md.</summary>
public sealed record PolicyMetrics
{
    public required int Migrations { get; init; }

    public required int CompletedMigrations { get; init; }

    public required int PingPongs { get; init; }

    public required double SlaViolationSeconds { get; init; }

    public required double DowntimeSeconds { get; init; }

    public required long BytesTransferred { get; init; }

    public required double MeanLatencyMs { get; init; }

    public required double P95LatencyMs { get; init; }

    /// <summary>Device-seconds of active devices: the denominator of the violation share.</summary>
    public required double DeviceSeconds { get; init; }

    public required double SlaViolationShare { get; init; }

    public required double? MeanLeadTimeSeconds { get; init; }

    public required double? MedianLeadTimeSeconds { get; init; }

    /// <summary>Migrations that completed after the device had already switched to the target's access site.</summary>
    public required int LateMigrations { get; init; }

    public required int NonConvergedMigrations { get; init; }

    /// <summary>Decisions not carried out because the target was full or of another architecture.</summary>
    public required int RefusedMigrations { get; init; }

    /// <summary>
    /// Share of the gap between <c>reactive</c> and <c>optimum</c> in SLA-violation seconds that this policy closes
    /// ((reactive − this) / (reactive − optimum): 0 for reactive, 1 for the optimum); null unless both ran.
    /// </summary>
    public double? GapClosed { get; init; }
}
