namespace EdgeMigrate.Models.Grains;

/// <summary>
/// A fleet's handover policy and its parameters; changeable at run time (<c>PUT /api/policies/{fleet}</c>)
/// and used by the simulator with the same meaning.
/// </summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.PolicySettings")]
public sealed record PolicySettings
{
    /// <summary><c>never</c>, <c>reactive</c>, <c>predictive</c>, <c>distance</c> or <c>oracle</c> (simulation only).</summary>
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
    /// violation, an early one only some of the host's remaining reach (GTFS evaluation in docs/prediction.md).
    /// </summary>
    [Id(8)] public double BreachProbability { get; init; } = 0.02;

    public static IReadOnlySet<string> KnownPolicies { get; } = new HashSet<string>(StringComparer.Ordinal) { "never", "reactive", "predictive", "distance", "oracle" };

    /// <summary>Problems with the values, each naming the field; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!KnownPolicies.Contains(Policy))
        {
            problems.Add($"policy '{Policy}' is unknown; use one of {string.Join(", ", KnownPolicies)}");
        }

        if (!(HysteresisMs >= 0 && HysteresisMs <= 1000)) { problems.Add("hysteresisMs must be within [0, 1000]"); }
        if (!(TimeToTriggerSeconds >= 0 && TimeToTriggerSeconds <= 600)) { problems.Add("timeToTriggerSeconds must be within [0, 600]"); }
        if (!(DistanceThresholdMetres >= 0 && DistanceThresholdMetres <= 100_000)) { problems.Add("distanceThresholdMetres must be within [0, 100000]"); }
        if (!(SafetyMarginSeconds >= 0 && SafetyMarginSeconds <= 600)) { problems.Add("safetyMarginSeconds must be within [0, 600]"); }
        if (!(SlaLatencyMs > 0 && SlaLatencyMs <= 60_000)) { problems.Add("slaLatencyMs must be within (0, 60000]"); }
        if (!(BreachProbability > 0 && BreachProbability <= 1)) { problems.Add("breachProbability must be within (0, 1]"); }
        if (!(MinConfidence >= 0 && MinConfidence <= 1)) { problems.Add("minConfidence must be within [0, 1]"); }
        return problems;
    }
}
