namespace EdgeMigrate.Decision.Policies;

/// <summary>What a policy needs besides its <c>PolicySettings</c> (see <see cref="PolicyInputs"/>).</summary>
[Flags]
public enum PolicyNeeds
{
    None = 0,

    /// <summary>A trained handover model (<see cref="PolicyInputs.Model"/>).</summary>
    Model = 1,

    /// <summary>The devices' recorded future (<see cref="PolicyInputs.Future"/>): simulation only.</summary>
    Future = 2,

    /// <summary>A migration plan made offline from the whole future (<see cref="PolicyInputs.Plan"/>): simulation only.</summary>
    OfflinePlan = 4,

    /// <summary>The expected duration of a migration between two sites (<see cref="PolicyInputs.MigrationSeconds"/>).</summary>
    MigrationTime = 8,
}
