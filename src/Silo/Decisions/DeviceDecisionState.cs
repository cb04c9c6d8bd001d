using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>
/// What a device's policy remembers between reports, kept in the device grain's activation (rebuilt after a
/// reactivation: a policy timer restarting is harmless, a migration is never started twice because the
/// service grain allows one at a time).
/// </summary>
public sealed class DeviceDecisionState
{
    private DevicePolicyState _policy = DevicePolicyState.Initial;

    /// <summary>Timestamps become seconds since the first report, the clock the policies work in.</summary>
    public DateTimeOffset? Origin { get; set; }

    public ref DevicePolicyState Policy => ref _policy;

    /// <summary>The predictive policy's recent history of this device.</summary>
    public DeviceFeatureWindow Window { get; private set; } = new();

    /// <summary>Policy and fleet the state belongs to: a change of either starts it afresh.</summary>
    public PolicyKey? Key { get; set; }

    public void Reset(PolicyKey key)
    {
        _policy = DevicePolicyState.Initial;
        Window = new DeviceFeatureWindow();
        Key = key;
    }
}
