using EdgeMigrate.Decision.Costs.Calibration;

namespace EdgeMigrate.Simulation.Calibration;

/// <summary>Measured migrations read from an input, what was left out and why, and the link estimates between sites.</summary>
/// <param name="Migrations">Committed migrations with what the fit needs.</param>
/// <param name="Skipped">Left out, by reason (e.g. "state rolled-back").</param>
/// <param name="Links">The agents' estimates per (from site, to site): rate and round-trip time.</param>
public sealed record MigrationHistory(
    IReadOnlyList<MeasuredMigration> Migrations,
    IReadOnlyDictionary<string, int> Skipped,
    IReadOnlyDictionary<(string From, string To), (double? Mbps, double? RttMs)> Links);
