namespace EdgeMigrate.Decision.Policies;

/// <summary>A policy's answer for one observation: stay, or start migrating the service to <see cref="TargetSite"/>.</summary>
public readonly record struct HandoverDecision(bool Migrate, int TargetSite)
{
    public static HandoverDecision Stay { get; } = new(false, -1);

    public static HandoverDecision MigrateTo(int site) => new(true, site);
}
