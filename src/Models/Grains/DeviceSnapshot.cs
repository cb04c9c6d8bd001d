using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Models.Grains;

/// <summary>What the silo knows of a device: its last accepted report.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.DeviceSnapshot")]
public sealed record DeviceSnapshot
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset LastReportAt { get; init; }
    [Id(2)] public required GeoPoint Position { get; init; }
    [Id(3)] public double? SpeedMps { get; init; }
    [Id(4)] public double? HeadingDeg { get; init; }
    [Id(5)] public string? ServingSiteId { get; init; }
    [Id(6)] public string? ServiceId { get; init; }
    [Id(7)] public string? FleetId { get; init; }
    [Id(8)] public long AcceptedReports { get; init; }
    [Id(9)] public long? LastSequence { get; init; }
    [Id(10)] public IReadOnlyDictionary<string, double> RttMs { get; init; } = new Dictionary<string, double>();

    /// <summary>Reports older than the last accepted one (out of order or replayed): kept out of state, counted here.</summary>
    [Id(11)] public long StaleReports { get; init; }
}
