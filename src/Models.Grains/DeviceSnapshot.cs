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

    /// <summary>Reports too far behind the newest to tell late from replayed (more than 64 sequence numbers): ignored.</summary>
    [Id(11)] public long StaleReports { get; init; }

    /// <summary>Reports that arrived after a newer one (e.g. through another silo): counted as accepted, position kept.</summary>
    [Id(12)] public long LateReports { get; init; }

    /// <summary>Reports seen before (same sequence number, e.g. a QoS 1 redelivery): ignored.</summary>
    [Id(13)] public long DuplicateReports { get; init; }
}
