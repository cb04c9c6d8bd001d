namespace EdgeMigrate.Decision.Policies;

/// <summary>Where a policy may run.</summary>
[Flags]
public enum PolicyPlaces
{
    None = 0,

    /// <summary>The simulator (which can offer the recorded future and offline plans).</summary>
    Simulation = 1,

    /// <summary>A live fleet in the silo.</summary>
    Live = 2,

    Anywhere = Simulation | Live,
}
