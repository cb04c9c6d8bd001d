using EdgeMigrate.Decision.Prediction;

namespace EdgeMigrate.Decision.Policies;

/// <summary>What the caller can offer a policy besides its settings; a policy's <see cref="PolicyNeeds"/> say which it requires.</summary>
public sealed record PolicyInputs
{
    public static PolicyInputs None { get; } = new();

    /// <summary>The trained handover model.</summary>
    public IHandoverPredictor? Model { get; init; }

    /// <summary>The recorded future (simulation only).</summary>
    public IFutureLookup? Future { get; init; }

    /// <summary>An offline migration plan (simulation only).</summary>
    public IMigrationPlan? Plan { get; init; }

    /// <summary>Expected migration duration between two sites, seconds.</summary>
    public Func<int, int, double>? MigrationSeconds { get; init; }
}
