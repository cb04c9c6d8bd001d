namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// A policy's memory of one device, held by the caller (an array slot in the simulator, grain state in the
/// silo) so policies stay stateless and shareable. Start from <see cref="Initial"/>.
/// </summary>
public struct DevicePolicyState
{
    /// <summary>Reactive: the neighbour currently beating the hosting site, -1 if none.</summary>
    public int CandidateSite;

    /// <summary>Reactive: since when <see cref="CandidateSite"/> has been better by the margin.</summary>
    public double CandidateSinceSeconds;

    /// <summary>Oracle: the hosting site the current plan was made for, -1 if no plan.</summary>
    public int PlannedForHost;

    /// <summary>Oracle: where to migrate, or -1 for "no migration needed within the horizon".</summary>
    public int PlannedTarget;

    /// <summary>Oracle: when to start so the migration completes just in time.</summary>
    public double PlannedStartSeconds;

    public static DevicePolicyState Initial => new() { CandidateSite = -1, PlannedForHost = -1, PlannedTarget = -1 };
}
