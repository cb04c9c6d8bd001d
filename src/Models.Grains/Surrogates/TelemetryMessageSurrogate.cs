using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>How grains store and pass <see cref="TelemetryMessage"/> (the ids are those it was persisted with: never renumber).</summary>
[GenerateSerializer, Alias("EdgeMigrate.Surrogates.TelemetryMessage")]
public record struct TelemetryMessageSurrogate
{
    [Id(0)] public int SchemaVersion;
    [Id(1)] public string DeviceId;
    [Id(2)] public DateTimeOffset Timestamp;
    [Id(3)] public double Lat;
    [Id(4)] public double Lon;
    [Id(5)] public double? SpeedMps;
    [Id(6)] public double? HeadingDeg;
    [Id(7)] public string? ServingSiteId;
    [Id(8)] public IReadOnlyDictionary<string, double>? RttMs;
    [Id(9)] public string? FleetId;
    [Id(10)] public long? Sequence;
}
