using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Costs;

/// <summary>What a migration is expected to cost.</summary>
/// <param name="Mode">The mode actually modelled (pre-copy that cannot converge falls back to stop-and-copy).</param>
/// <param name="Rounds">Live pre-copy rounds before the final freeze; 0 for stop-and-copy and post-copy.</param>
/// <param name="BytesTransferred">Everything sent, live rounds plus the final remainder.</param>
/// <param name="TotalSeconds">From start until the service runs on the target.</param>
/// <param name="DowntimeSeconds">How long the service is frozen and unreachable.</param>
/// <param name="FinalRemainderBytes">What was sent while frozen.</param>
/// <param name="Converged">Pre-copy reached the stop threshold; false when the round cap cut it short or r ≥ 1.</param>
public readonly record struct MigrationCostEstimate(
    MigrationMode Mode,
    int Rounds,
    double BytesTransferred,
    double TotalSeconds,
    double DowntimeSeconds,
    double FinalRemainderBytes,
    bool Converged)
{
    /// <summary>Time spent copying while the service keeps running on the source.</summary>
    public double LiveSeconds => TotalSeconds - DowntimeSeconds;
}
