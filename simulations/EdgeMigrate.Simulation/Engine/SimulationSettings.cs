using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Simulation.Network;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>Everything about a run except where devices and sites come from.</summary>
public sealed record SimulationSettings
{
    public int Seed { get; init; } = 1;

    public double DurationSeconds { get; init; } = 600;

    /// <summary>Resolution of positions, policy evaluations and accounting.</summary>
    public double StepSeconds { get; init; } = 1;

    /// <summary>The policies compared in this run, each with its parameters; names must differ.</summary>
    public IReadOnlyList<PolicySettings> Policies { get; init; } = [.. DefaultPolicies.Select(p => new PolicySettings { Policy = p })];

    public LatencyModel Latency { get; init; } = new();

    /// <summary>Memory, dirty rate, backhaul bandwidth and pre-copy limits of every service migration.</summary>
    public MigrationCostParameters Migration { get; init; } = MigrationCostParameters.Default;

    /// <summary>Nearest sites offered to policies as candidates (the hosting site is always added).</summary>
    public int CandidateSites { get; init; } = 3;

    /// <summary>A migration back to the previous site within this long after the last one completed is a ping-pong.</summary>
    public double PingPongWindowSeconds { get; init; } = 60;

    /// <summary>Containers restore only on the same architecture; wasm anywhere.</summary>
    public WorkloadEngine ServiceEngine { get; init; } = WorkloadEngine.Container;

    /// <summary>Keep every migration for migrations.csv (off for huge benchmark runs).</summary>
    public bool RecordMigrations { get; init; } = true;

    /// <summary>
    /// Worker threads: devices move in ranges in parallel, and the policies' worlds advance in parallel. Results are
    /// bit-identical for any value (tested), so this only trades wall time for cores.
    /// </summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The policies a run compares when none are named.</summary>
    public static IReadOnlyList<string> DefaultPolicies { get; } =
        [PolicyCatalog.Never.Name, PolicyCatalog.Reactive.Name, PolicyCatalog.Distance.Name, PolicyCatalog.GreedyOracle.Name, PolicyCatalog.Optimum.Name];

    public int Steps => (int)Math.Ceiling(DurationSeconds / StepSeconds - 1e-9);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(DurationSeconds > 0)) { problems.Add("duration must be > 0"); }
        if (!(StepSeconds > 0 && StepSeconds <= DurationSeconds)) { problems.Add("step must be > 0 and at most the duration"); }
        if (CandidateSites < 1) { problems.Add("candidateSites must be >= 1"); }
        if (!(PingPongWindowSeconds >= 0)) { problems.Add("pingPongWindowSeconds must be >= 0"); }
        if (Policies.Count == 0) { problems.Add("at least one policy is needed"); }
        if (Parallelism < 1) { problems.Add("parallelism must be >= 1"); }
        foreach (var duplicate in Policies.GroupBy(p => p.Policy, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"policy '{duplicate.Key}' is listed twice");
        }

        foreach (var policy in Policies)
        {
            problems.AddRange(PolicyCatalog.Validate(policy, PolicyPlaces.Simulation).Select(p => $"{policy.Policy}: {p}"));
        }

        problems.AddRange(Latency.Validate());
        problems.AddRange(Migration.Validate());
        return problems;
    }
}
