namespace EdgeMigrate.Decision.Policies;

/// <summary>The service stays where it was placed: the baseline every other policy must beat.</summary>
public sealed class NeverPolicy : IHandoverPolicy
{
    public string Name => PolicyCatalog.Never.Name;

    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state) => HandoverDecision.Stay;
}
