namespace EdgeMigrate.Models.Grains;

/// <summary>
/// The numeric parameters of <see cref="PolicySettings"/>, in one list. A new parameter is a property of
/// <see cref="PolicySettings"/> (with a new <c>[Id]</c>) plus one entry here; which policy reads it is in the policy
/// catalog (<c>EdgeMigrate.Decision.Policies.PolicyCatalog</c>).
/// </summary>
public static class PolicyParameters
{
    public static PolicyParameter HysteresisMs { get; } = new(
        "hysteresisMs", "hysteresis-ms", "Reactive: margin a neighbour must beat the hosting site by, ms", 0, 1000, false,
        s => s.HysteresisMs, (s, v) => s with { HysteresisMs = v });

    public static PolicyParameter TimeToTriggerSeconds { get; } = new(
        "timeToTriggerSeconds", "time-to-trigger", "Reactive: seconds the margin must hold (A3 time-to-trigger)", 0, 600, false,
        s => s.TimeToTriggerSeconds, (s, v) => s with { TimeToTriggerSeconds = v });

    public static PolicyParameter DistanceThresholdMetres { get; } = new(
        "distanceThresholdMetres", "distance-threshold", "Distance: metres closer to another site than to the hosting one", 0, 100_000, false,
        s => s.DistanceThresholdMetres, (s, v) => s with { DistanceThresholdMetres = v });

    public static PolicyParameter SafetyMarginSeconds { get; } = new(
        "safetyMarginSeconds", "safety-margin", "Predictive: start this many seconds earlier than the model says is needed", 0, 600, false,
        s => s.SafetyMarginSeconds, (s, v) => s with { SafetyMarginSeconds = v });

    public static PolicyParameter SlaLatencyMs { get; } = new(
        "slaLatencyMs", "sla-ms", "Service latency above this is an SLA violation, ms", 0, 60_000, true,
        s => s.SlaLatencyMs, (s, v) => s with { SlaLatencyMs = v });

    public static PolicyParameter MinConfidence { get; } = new(
        "minConfidence", "min-confidence", "Predictive: a target must keep the SLA with at least this model confidence, else fall back to reactive", 0, 1, false,
        s => s.MinConfidence, (s, v) => s with { MinConfidence = v });

    public static PolicyParameter BreachProbability { get; } = new(
        "breachProbability", "breach-probability", "Predictive: start a move once the host's predicted probability of breaking the SLA before the move would finish reaches this", 0, 1, true,
        s => s.BreachProbability, (s, v) => s with { BreachProbability = v });

    /// <summary>Every parameter, in the order of <see cref="PolicySettings"/>' ids.</summary>
    public static IReadOnlyList<PolicyParameter> All { get; } =
        [HysteresisMs, TimeToTriggerSeconds, DistanceThresholdMetres, SafetyMarginSeconds, SlaLatencyMs, MinConfidence, BreachProbability];

    /// <summary>The parameter called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static PolicyParameter? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
