using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>Where one device's service is under one policy, and what it is doing; a struct so 100k devices are one array.</summary>
internal struct DeviceServiceState
{
    public int Host;
    public CpuArchitecture ServiceArchitecture;
    public int Target;
    public double MigrationEnd;
    public double DowntimeStart;
    public int PreviousHost;
    public double LastCompletion;
    public int PendingLeadTarget;
    public double PendingLeadCompletion;
    public int PendingLeadRecord;
    public int InFlightRecord;
    public DevicePolicyState Policy;

    public static DeviceServiceState Unplaced => new()
    {
        Host = -1,
        Target = -1,
        PreviousHost = -1,
        LastCompletion = double.NegativeInfinity,
        PendingLeadTarget = -1,
        PendingLeadRecord = -1,
        InFlightRecord = -1,
        Policy = DevicePolicyState.Initial,
    };
}
