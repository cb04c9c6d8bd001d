namespace EdgeMigrate.Models.Contracts;

/// <summary>
/// <c>em/v1/devices/{deviceId}/telemetry</c>: one position and latency report from a device.
/// Field names are the wire contract: add optional fields freely, never rename.
/// </summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.TelemetryMessage")]
public sealed record TelemetryMessage
{
    [Id(0)] public required int SchemaVersion { get; init; }
    [Id(1)] public required string DeviceId { get; init; }
    [Id(2)] public required DateTimeOffset Timestamp { get; init; }
    [Id(3)] public required double Lat { get; init; }
    [Id(4)] public required double Lon { get; init; }
    [Id(5)] public double? SpeedMps { get; init; }
    [Id(6)] public double? HeadingDeg { get; init; }
    [Id(7)] public string? ServingSiteId { get; init; }
    [Id(8)] public IReadOnlyDictionary<string, double>? RttMs { get; init; }

    /// <summary>Optional: the fleet whose handover policy applies (default fleet when absent).</summary>
    [Id(9)] public string? FleetId { get; init; }

    /// <summary>Optional: a per-device sequence number, so loss and duplicates can be told apart.</summary>
    [Id(10)] public long? Sequence { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Geo.GeoPoint Position => new(Lat, Lon);
}
