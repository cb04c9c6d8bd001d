using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>Builds the policy a <see cref="PolicySettings"/> names, so simulator and silo read the same parameters the same way.</summary>
public static class HandoverPolicyFactory
{
    /// <summary>Policies this assembly implements (predictive needs a predictor: use the overload that takes one).</summary>
    public static IReadOnlyList<string> Implemented { get; } = ["never", "reactive", "distance", "oracle", "predictive"];

    /// <summary>As <see cref="Create(PolicySettings, IFutureLookup?, Func{int, int, double}?)"/>, and builds <c>predictive</c> on <paramref name="predictor"/>.</summary>
    /// <param name="settings">Names the policy and carries its parameters.</param>
    /// <param name="predictor">The trained model (or any predictor); used by <c>predictive</c> only.</param>
    /// <param name="future">Required for <c>oracle</c> only.</param>
    /// <param name="migrationSeconds">Expected migration duration between two sites; required for <c>oracle</c> and <c>predictive</c>.</param>
    public static IHandoverPolicy Create(PolicySettings settings, IHandoverPredictor? predictor, IFutureLookup? future = null, Func<int, int, double>? migrationSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Policy == "predictive"
            ? new PredictivePolicy(
                settings,
                predictor ?? throw new ArgumentException("the predictive policy needs a trained handover model", nameof(predictor)),
                migrationSeconds ?? throw new ArgumentException("the predictive policy needs a migration-time estimate", nameof(migrationSeconds)))
            : Create(settings, future, migrationSeconds);
    }

    /// <param name="settings">Names the policy and carries its parameters.</param>
    /// <param name="future">Required for <c>oracle</c> only.</param>
    /// <param name="migrationSeconds">Expected migration duration between two sites; required for <c>oracle</c> only.</param>
    public static IHandoverPolicy Create(PolicySettings settings, IFutureLookup? future = null, Func<int, int, double>? migrationSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Policy switch
        {
            "never" => new NeverPolicy(),
            "reactive" => new ReactivePolicy(settings),
            "distance" => new DistancePolicy(settings),
            "oracle" => new OraclePolicy(
                settings,
                future ?? throw new ArgumentException("the oracle policy needs a future lookup: it runs in simulation only", nameof(future)),
                migrationSeconds ?? throw new ArgumentException("the oracle policy needs a migration-time estimate", nameof(migrationSeconds))),
            "predictive" => throw new ArgumentException("the predictive policy needs a trained handover model: use the overload that takes an IHandoverPredictor", nameof(settings)),
            _ => throw new ArgumentException($"policy '{settings.Policy}' is not implemented here; use one of {string.Join(", ", Implemented)}", nameof(settings)),
        };
    }
}
