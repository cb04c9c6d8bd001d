namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// What only a simulation can offer: where a device will be. The oracle policy reads it; nothing live can
/// implement it, which is why the oracle is an upper bound rather than a policy.
/// </summary>
public interface IFutureLookup
{
    /// <summary>Resolution at which the future is worth sampling.</summary>
    double StepSeconds { get; }

    /// <summary>Nothing is known after this time.</summary>
    double EndSeconds { get; }

    /// <summary>The site <paramref name="device"/> will be attached to at <paramref name="timeSeconds"/>, -1 if it is not active then.</summary>
    int ServingSiteAt(int device, double timeSeconds);

    /// <summary>The service latency the device would see at that time were its service hosted at <paramref name="hostingSite"/>; NaN if it is not active then.</summary>
    double LatencyMsAt(int device, double timeSeconds, int hostingSite);
}
