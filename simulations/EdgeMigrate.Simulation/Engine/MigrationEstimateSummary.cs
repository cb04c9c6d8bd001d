namespace EdgeMigrate.Simulation.Engine;

/// <summary>The cost model's prediction for one migration, echoed in summary.json so results can be read against it.</summary>
public sealed record MigrationEstimateSummary(string Mode, int Rounds, double TotalSeconds, double DowntimeSeconds, long Bytes, bool Converged);
