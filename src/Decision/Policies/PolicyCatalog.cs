using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Every handover policy in one list: name, summary, where it may run, what it needs and which parameters it reads.
/// A new policy is its class plus one entry here; the silo's API, the live decider, the simulator's scenarios and its
/// help texts all read this list.
/// </summary>
public static class PolicyCatalog
{
    public static PolicyDescriptor Never { get; } = new(
        "never", "the service stays where it was placed (the baseline)", PolicyPlaces.Anywhere, PolicyNeeds.None, [],
        static (_, _) => new NeverPolicy());

    public static PolicyDescriptor Reactive { get; } = new(
        "reactive", "3GPP-A3 style: a neighbour better by the hysteresis for the time-to-trigger", PolicyPlaces.Anywhere, PolicyNeeds.None,
        [PolicyParameters.HysteresisMs, PolicyParameters.TimeToTriggerSeconds],
        static (settings, _) => new ReactivePolicy(settings));

    public static PolicyDescriptor Distance { get; } = new(
        "distance", "MobFogSim style: the nearest site once it is the threshold closer than the host", PolicyPlaces.Anywhere, PolicyNeeds.None,
        [PolicyParameters.DistanceThresholdMetres],
        static (settings, _) => new DistancePolicy(settings));

    public static PolicyDescriptor Predictive { get; } = new(
        "predictive", "moves before the host is predicted to break the SLA, to the site predicted to keep it longest (ML.NET model)",
        PolicyPlaces.Anywhere, PolicyNeeds.Model | PolicyNeeds.MigrationTime,
        [PolicyParameters.SlaLatencyMs, PolicyParameters.BreachProbability, PolicyParameters.MinConfidence, PolicyParameters.SafetyMarginSeconds, PolicyParameters.HysteresisMs, PolicyParameters.TimeToTriggerSeconds],
        static (settings, inputs) => new PredictivePolicy(settings, inputs.Model!, inputs.MigrationSeconds!));

    public static PolicyDescriptor GreedyOracle { get; } = new(
        "greedy-oracle", "knows the future; moves just in time when the host would break the SLA, to the site that keeps it longest (a heuristic, not a bound)",
        PolicyPlaces.Simulation, PolicyNeeds.Future | PolicyNeeds.MigrationTime,
        [PolicyParameters.SlaLatencyMs],
        static (settings, inputs) => new GreedyOraclePolicy(settings, inputs.Future!, inputs.MigrationSeconds!));

    public static PolicyDescriptor Optimum { get; } = new(
        "optimum", "the offline optimum per device: fewest SLA-violation seconds for the simulator's own model, then fewest migrations (the bound)",
        PolicyPlaces.Simulation, PolicyNeeds.OfflinePlan,
        [PolicyParameters.SlaLatencyMs],
        static (_, inputs) => new OptimumPolicy(inputs.Plan!));

    /// <summary>Every policy, in the order help texts list them.</summary>
    public static IReadOnlyList<PolicyDescriptor> All { get; } = [Never, Reactive, Distance, Predictive, GreedyOracle, Optimum];

    /// <summary>Names of the policies that may run in <paramref name="where"/>.</summary>
    public static IReadOnlyList<string> Names(PolicyPlaces where = PolicyPlaces.Simulation) =>
        [.. All.Where(p => (p.RunsIn & where) == where).Select(p => p.Name)];

    public static PolicyDescriptor? Find(string? name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>True when <paramref name="name"/> is a policy a live fleet may use.</summary>
    public static bool RunsLive(string? name) => Find(name) is { RunsLive: true };

    /// <summary>
    /// Problems with <paramref name="settings"/> for a policy that is to run in <paramref name="where"/>: an unknown name,
    /// a simulation-only policy for a live fleet, parameters out of range. Each message names what to fix.
    /// </summary>
    public static IReadOnlyList<string> Validate(PolicySettings settings, PolicyPlaces where)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        if (Find(settings.Policy) is not { } policy)
        {
            problems.Add($"policy '{settings.Policy}' is unknown; use one of {string.Join(", ", Names(where))}");
        }
        else if ((policy.RunsIn & where) != where)
        {
            problems.Add($"policy '{policy.Name}' {(where == PolicyPlaces.Live ? "knows the future: it runs in simulation only" : "runs on live fleets only")}");
        }

        problems.AddRange(settings.Validate());
        return problems;
    }

    /// <summary>Builds the policy <paramref name="settings"/> names.</summary>
    /// <exception cref="ArgumentException">Unknown name, or <paramref name="inputs"/> lack what it needs (the message says what).</exception>
    public static IHandoverPolicy Create(PolicySettings settings, PolicyInputs? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        inputs ??= PolicyInputs.None;
        var policy = Find(settings.Policy)
            ?? throw new ArgumentException($"policy '{settings.Policy}' is unknown; use one of {string.Join(", ", Names())}", nameof(settings));
        return policy.Missing(inputs) is { } missing
            ? throw new ArgumentException(missing, nameof(inputs))
            : policy.Factory(settings, inputs);
    }
}
