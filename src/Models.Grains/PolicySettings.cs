namespace EdgeMigrate.Models.Grains;

/// <summary>
/// A fleet's handover policy and its parameters; changeable at run time (<c>PUT /api/policies/{fleet}</c>)
/// and used by the simulator with the same meaning.
/// </summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.PolicySettings")]
public sealed record PolicySettings
{
    /// <summary>A policy of the catalog (<c>PolicyCatalog</c>): <c>never</c>, <c>reactive</c>, <c>distance</c>, <c>predictive</c>; in simulation also <c>greedy-oracle</c> and <c>optimum</c>.</summary>
    [Id(0)] public string Policy { get; init; } = "reactive";

    /// <summary>Reactive: a neighbour must beat the serving site's latency by this margin...</summary>
    [Id(1)] public double HysteresisMs { get; init; } = 5;

    /// <summary>...for this long before a migration starts (A3 time-to-trigger).</summary>
    [Id(2)] public double TimeToTriggerSeconds { get; init; } = 3;

    /// <summary>Distance: migrate when the device is this much closer to another site than to the hosting one.</summary>
    [Id(3)] public double DistanceThresholdMetres { get; init; } = 200;

    /// <summary>Predictive: start this much earlier than the model says is needed.</summary>
    [Id(4)] public double SafetyMarginSeconds { get; init; } = 2;

    /// <summary>Service latency above this counts as an SLA violation.</summary>
    [Id(5)] public double SlaLatencyMs { get; init; } = 30;

    [Id(6)] public MigrationMode Mode { get; init; } = MigrationMode.PreCopy;

    /// <summary>
    /// Predictive: a site is a migration target only when the model is at least this sure it keeps the SLA until the
    /// service has arrived and for as long again; with no such site, fall back to reactive.
    /// </summary>
    [Id(7)] public double MinConfidence { get; init; } = 0.6;

    /// <summary>
    /// Predictive: the move starts once the model gives the hosting site at least this probability of breaking the SLA
    /// before a migration started now would finish. Low by default: a late move costs the whole migration time in SLA
    /// violation, an early one only some of the host's remaining reach (GTFS evaluation in docs/prediction.md; a model
    /// trained on the fleet's own routes is better calibrated and does best around 0.05).
    /// </summary>
    [Id(8)] public double BreachProbability { get; init; } = 0.02;

    /// <summary>
    /// Problems with the parameter values, each naming the field; empty when valid. Whether <see cref="Policy"/> names a
    /// policy that may run where it is asked to is the policy catalog's check (<c>PolicyCatalog.Validate</c>).
    /// </summary>
    public IReadOnlyList<string> Validate() => [.. PolicyParameters.All.Select(p => p.Check(this)).OfType<string>()];
}
