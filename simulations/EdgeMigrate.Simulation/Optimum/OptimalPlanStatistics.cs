namespace EdgeMigrate.Simulation.Optimum;

/// <summary>What the offline optimum solver found and what it cost.</summary>
/// <param name="ViolationSeconds">The optimal objective summed over devices: SLA-violation device-seconds (downtime included).</param>
/// <param name="Migrations">Migrations of the optimal plans (the tie-breaker: fewest among the plans with the least violation).</param>
/// <param name="MeanCandidateSites">Sites per device the search considered (the start site and every eligible site that meets the SLA for the device at some step).</param>
/// <param name="Exact">True when the per-device optimum is the optimum of the engine's model: sites have no capacity limit and every site pair costs the same to migrate between.</param>
/// <param name="SolveSeconds">Wall time of the search (not of the recorded future it reads).</param>
public sealed record OptimalPlanStatistics(double ViolationSeconds, long Migrations, double MeanCandidateSites, bool Exact, double SolveSeconds);
