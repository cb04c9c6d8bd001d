using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

[RegisterConverter]
public sealed class TelemetryMessageConverter : IConverter<TelemetryMessage, TelemetryMessageSurrogate>
{
    public TelemetryMessage ConvertFromSurrogate(in TelemetryMessageSurrogate surrogate) => new()
    {
        SchemaVersion = surrogate.SchemaVersion,
        DeviceId = surrogate.DeviceId,
        Timestamp = surrogate.Timestamp,
        Lat = surrogate.Lat,
        Lon = surrogate.Lon,
        SpeedMps = surrogate.SpeedMps,
        HeadingDeg = surrogate.HeadingDeg,
        ServingSiteId = surrogate.ServingSiteId,
        RttMs = surrogate.RttMs,
        FleetId = surrogate.FleetId,
        Sequence = surrogate.Sequence,
    };

    public TelemetryMessageSurrogate ConvertToSurrogate(in TelemetryMessage value) => new()
    {
        SchemaVersion = value.SchemaVersion,
        DeviceId = value.DeviceId,
        Timestamp = value.Timestamp,
        Lat = value.Lat,
        Lon = value.Lon,
        SpeedMps = value.SpeedMps,
        HeadingDeg = value.HeadingDeg,
        ServingSiteId = value.ServingSiteId,
        RttMs = value.RttMs,
        FleetId = value.FleetId,
        Sequence = value.Sequence,
    };
}
