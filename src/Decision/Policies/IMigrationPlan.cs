namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Migrations decided in advance for every device (e.g. the offline optimum over the whole recorded future): which
/// site a device's service should start moving to at a given time. Only a simulation can make one.
/// </summary>
public interface IMigrationPlan
{
    /// <summary>The site a migration of <paramref name="device"/>'s service should start to at <paramref name="timeSeconds"/>, or -1 for none.</summary>
    int TargetAt(int device, double timeSeconds);
}
