namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Simulation only: carries out an offline plan that is optimal for the simulator's own model (fewest SLA-violation
/// seconds given the whole future, then fewest migrations; see the simulator's <c>OptimalPlacement</c>). No policy can
/// do better on the same run, so it is the bound the others' share of the gap is measured against.
/// </summary>
public sealed class OptimumPolicy(IMigrationPlan plan) : IHandoverPolicy
{
    public string Name => PolicyCatalog.Optimum.Name;

    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
    {
        if (observation.MigrationInFlight)
        {
            return HandoverDecision.Stay;
        }

        var target = plan.TargetAt(observation.Device, observation.TimeSeconds);
        return target >= 0 && target != observation.HostingSite ? HandoverDecision.MigrateTo(target) : HandoverDecision.Stay;
    }
}
