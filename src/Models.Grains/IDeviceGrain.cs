using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains;

/// <summary>One device (vehicle, wearable, sensor), keyed by device id.</summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Records a validated telemetry report; returns once it is persisted.</summary>
    Task RecordTelemetryAsync([Immutable] TelemetryMessage report);

    /// <summary>Links the device to the service that follows it.</summary>
    Task AttachServiceAsync(string serviceId);

    /// <summary>The device's state, or null when no report was ever accepted.</summary>
    [AlwaysInterleave]
    Task<DeviceSnapshot?> GetAsync();
}
