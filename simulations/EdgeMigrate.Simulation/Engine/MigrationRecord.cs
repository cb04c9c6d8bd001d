using EdgeMigrate.Models;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>
/// One migration as written to migrations.csv. <c>LeadTimeSeconds</c> is the time the device's access site
/// changed to the target minus the completion time: positive when the service was there first; null if the
/// device never reached the target's access area during the run.
/// </summary>
public sealed record MigrationRecord(
    string Policy,
    string DeviceId,
    double StartSeconds,
    double EndSeconds,
    string FromSite,
    string ToSite,
    double BytesTransferred,
    double DowntimeSeconds,
    int Rounds,
    MigrationMode Mode,
    bool Converged,
    bool PingPong,
    double? LeadTimeSeconds);
