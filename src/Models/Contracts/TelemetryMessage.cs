namespace EdgeMigrate.Models.Contracts;

/// <summary>
/// <c>em/v1/devices/{deviceId}/telemetry</c>: one position and latency report from a device.
/// Field names are the wire contract: add optional fields freely, never rename.
/// </summary>
public sealed record TelemetryMessage
{
    public required int SchemaVersion { get; init; }
    public required string DeviceId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required double Lat { get; init; }
    public required double Lon { get; init; }
    public double? SpeedMps { get; init; }
    public double? HeadingDeg { get; init; }
    public string? ServingSiteId { get; init; }
    public IReadOnlyDictionary<string, double>? RttMs { get; init; }

    /// <summary>Optional: the fleet whose handover policy applies (default fleet when absent).</summary>
    public string? FleetId { get; init; }

    /// <summary>Optional: a per-device sequence number, so loss and duplicates can be told apart.</summary>
    public long? Sequence { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public Geo.GeoPoint Position => new(Lat, Lon);
}
