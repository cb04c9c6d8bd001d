namespace EdgeMigrate.Simulation.Engine;

/// <summary>The summary.json document.</summary>
public sealed record SimulationSummary
{
    public required int Seed { get; init; }

    public required int Devices { get; init; }

    public required int Sites { get; init; }

    public required double SimulatedSeconds { get; init; }

    public required double StepSeconds { get; init; }

    public required double WallSeconds { get; init; }

    public required long Events { get; init; }

    public required string Mobility { get; init; }

    public required double SlaLatencyMs { get; init; }

    /// <summary>What one migration costs under the run's cost-model parameters.</summary>
    public required MigrationEstimateSummary MigrationEstimate { get; init; }

    /// <summary>Per policy, in the order they were asked for.</summary>
    public required OrderedDictionary<string, PolicyMetrics> Policies { get; init; }

    /// <summary>The offline optimum's search, when the <c>optimum</c> policy ran.</summary>
    public OptimumSummary? Optimum { get; init; }
}
