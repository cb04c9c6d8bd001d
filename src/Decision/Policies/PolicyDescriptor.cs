using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>One entry of the <see cref="PolicyCatalog"/>: a policy's name, what it does, where it may run, what it needs, which parameters it reads, and how to build it.</summary>
/// <param name="Name">As in <see cref="PolicySettings.Policy"/>, summaries and reports.</param>
/// <param name="Summary">One line for help texts and error messages.</param>
/// <param name="RunsIn">Where it may run: a live fleet, the simulator, or both.</param>
/// <param name="Needs">What it needs besides its settings.</param>
/// <param name="Parameters">The <see cref="PolicySettings"/> parameters it reads.</param>
/// <param name="Factory">Builds it from its settings and inputs (the catalog checks <paramref name="Needs"/> first).</param>
public sealed record PolicyDescriptor(
    string Name,
    string Summary,
    PolicyPlaces RunsIn,
    PolicyNeeds Needs,
    IReadOnlyList<PolicyParameter> Parameters,
    Func<PolicySettings, PolicyInputs, IHandoverPolicy> Factory)
{
    public bool RunsLive => (RunsIn & PolicyPlaces.Live) != 0;

    /// <summary>Why this policy cannot be built from <paramref name="inputs"/>, or null when it can.</summary>
    public string? Missing(PolicyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Needs switch
        {
            _ when (Needs & PolicyNeeds.Model) != 0 && inputs.Model is null => $"the {Name} policy needs a trained handover model",
            _ when (Needs & PolicyNeeds.Future) != 0 && inputs.Future is null => $"the {Name} policy needs the recorded future: it runs in simulation only",
            _ when (Needs & PolicyNeeds.OfflinePlan) != 0 && inputs.Plan is null => $"the {Name} policy needs an offline plan: it runs in simulation only",
            _ when (Needs & PolicyNeeds.MigrationTime) != 0 && inputs.MigrationSeconds is null => $"the {Name} policy needs a migration-time estimate",
            _ => null,
        };
    }
}
