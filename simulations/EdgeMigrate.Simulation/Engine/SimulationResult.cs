namespace EdgeMigrate.Simulation.Engine;

/// <summary>A finished run: the summary plus what plots and migrations.csv need.</summary>
public sealed record SimulationResult(
    SimulationSummary Summary,
    IReadOnlyList<MigrationRecord> Migrations,
    OrderedDictionary<string, PolicyTimeline> Timelines,
    OrderedDictionary<string, LatencyHistogram> Latencies,
    double[] StepTimes);
