namespace EdgeMigrate.Simulation.Engine;

/// <summary>What the offline optimum's search found, in summary.json (the <c>optimum</c> policy's own row is measured by the engine).</summary>
/// <param name="ViolationSeconds">The optimal objective: SLA-violation device-seconds (equals the optimum row's, up to rounding).</param>
/// <param name="Migrations">Migrations of the optimal plans.</param>
/// <param name="MeanCandidateSites">Sites per device the search considered.</param>
/// <param name="Exact">No site capacity and one migration cost for every pair: then no policy can do better in this run.</param>
/// <param name="SolveSeconds">Wall time of the search, not counting the recorded future (a separate pass).</param>
public sealed record OptimumSummary(double ViolationSeconds, long Migrations, double MeanCandidateSites, bool Exact, double SolveSeconds);
