namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Decides, per device observation, whether to start migrating the device's service and where to.
/// Implementations keep no per-device data of their own: it lives in the caller's <see cref="DevicePolicyState"/>.
/// </summary>
public interface IHandoverPolicy
{
    /// <summary>The policy's name as in <c>PolicySettings.Policy</c>.</summary>
    string Name { get; }

    HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state);
}
