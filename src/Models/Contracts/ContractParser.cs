using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeMigrate.Models.Contracts;

/// <summary>
/// Reads inbound MQTT payloads strictly: size, JSON shape, schema version, field types, required fields,
/// ranges and ids are all checked before anything else sees the message. Pure: the caller passes "now".
/// </summary>
public static class ContractParser
{
    private static readonly string[] TelemetryRequired = ["schemaVersion", "deviceId", "timestamp", "lat", "lon"];
    private static readonly string[] NodeStatusRequired = ["schemaVersion", "nodeId", "online"];
    private static readonly string[] MigrationEventRequired = ["schemaVersion", "migrationId", "nodeId", "timestamp", "phase"];
    private static readonly string[] CommandRequired = ["schemaVersion", "kind", "migrationId", "timestamp"];

    public static ParseResult<TelemetryMessage> ParseTelemetry(ReadOnlySpan<byte> payload, string topicDeviceId, DateTimeOffset now, PayloadLimits limits)
    {
        var read = Read(payload, limits, TelemetryRequired, ContractJsonContext.Default.TelemetryMessage);
        if (!read.IsValid)
        {
            return read;
        }

        var m = read.Value;
        if (!EntityId.IsValid(m.DeviceId))
        {
            return ParseResult<TelemetryMessage>.Reject(RejectionReason.InvalidId, "deviceId is not a valid id");
        }

        if (m.DeviceId != topicDeviceId)
        {
            return ParseResult<TelemetryMessage>.Reject(RejectionReason.IdMismatch, $"deviceId '{m.DeviceId}' does not match the topic's '{topicDeviceId}'");
        }

        var problem = RangeProblem(m, limits);
        if (problem is not null)
        {
            return ParseResult<TelemetryMessage>.Reject(RejectionReason.OutOfRange, problem);
        }

        if (m.Timestamp - now > limits.MaxClockAhead)
        {
            return ParseResult<TelemetryMessage>.Reject(RejectionReason.ClockSkew, $"timestamp {m.Timestamp:O} is more than {limits.MaxClockAhead} ahead of the silo clock");
        }

        return read;
    }

    public static ParseResult<NodeStatusMessage> ParseNodeStatus(ReadOnlySpan<byte> payload, string topicNodeId, PayloadLimits limits)
    {
        var read = Read(payload, limits, NodeStatusRequired, ContractJsonContext.Default.NodeStatusMessage);
        if (!read.IsValid)
        {
            return read;
        }

        var m = read.Value;
        if (!EntityId.IsValid(m.NodeId))
        {
            return ParseResult<NodeStatusMessage>.Reject(RejectionReason.InvalidId, "nodeId is not a valid id");
        }

        if (m.NodeId != topicNodeId)
        {
            return ParseResult<NodeStatusMessage>.Reject(RejectionReason.IdMismatch, $"nodeId '{m.NodeId}' does not match the topic's '{topicNodeId}'");
        }

        if (m.CpuFree is { } cpu && !(cpu is >= 0 and <= 1))
        {
            return ParseResult<NodeStatusMessage>.Reject(RejectionReason.OutOfRange, "cpuFree must be within [0, 1]");
        }

        if (m.MemFreeMiB is { } mem && !(mem >= 0 && double.IsFinite(mem)))
        {
            return ParseResult<NodeStatusMessage>.Reject(RejectionReason.OutOfRange, "memFreeMiB must be a non-negative number");
        }

        if ((m.Lat is null) != (m.Lon is null) || (m.Lat is { } lat && m.Lon is { } lon && !new Geo.GeoPoint(lat, lon).IsValid))
        {
            return ParseResult<NodeStatusMessage>.Reject(RejectionReason.OutOfRange, "lat/lon must both be given and within range");
        }

        if (m.TransferEndpoint is { } ep && !IsHostPort(ep))
        {
            return ParseResult<NodeStatusMessage>.Reject(RejectionReason.OutOfRange, "transferEndpoint must be host:port");
        }

        return read;
    }

    public static ParseResult<MigrationEventMessage> ParseMigrationEvent(ReadOnlySpan<byte> payload, string topicMigrationId, PayloadLimits limits)
    {
        var read = Read(payload, limits, MigrationEventRequired, ContractJsonContext.Default.MigrationEventMessage);
        if (!read.IsValid)
        {
            return read;
        }

        var m = read.Value;
        if (!EntityId.IsValid(m.MigrationId) || !EntityId.IsValid(m.NodeId))
        {
            return ParseResult<MigrationEventMessage>.Reject(RejectionReason.InvalidId, "migrationId and nodeId must be valid ids");
        }

        if (m.MigrationId != topicMigrationId)
        {
            return ParseResult<MigrationEventMessage>.Reject(RejectionReason.IdMismatch, $"migrationId '{m.MigrationId}' does not match the topic's '{topicMigrationId}'");
        }

        if (m.BytesSent < 0 || m.DirtyBytes < 0 || m.Round < 0 || m.DowntimeMs < 0 || m.RateMbps < 0)
        {
            return ParseResult<MigrationEventMessage>.Reject(RejectionReason.OutOfRange, "round, bytes, rate and downtime must not be negative");
        }

        return read;
    }

    public static ParseResult<NodeCommandMessage> ParseCommand(ReadOnlySpan<byte> payload, PayloadLimits limits) =>
        Read(payload, limits, CommandRequired, ContractJsonContext.Default.NodeCommandMessage);

    private static ParseResult<T> Read<T>(ReadOnlySpan<byte> payload, PayloadLimits limits, string[] required, JsonTypeInfo<T> typeInfo) where T : class
    {
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return ParseResult<T>.Reject(RejectionReason.Oversized, $"payload is {payload.Length} bytes; the limit is {limits.MaxPayloadBytes}");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 16 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return ParseResult<T>.Reject(RejectionReason.MalformedJson, ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ParseResult<T>.Reject(RejectionReason.NotAnObject, $"payload is a JSON {root.ValueKind}, not an object");
            }

            if (!root.TryGetProperty("schemaVersion", out var version))
            {
                return ParseResult<T>.Reject(RejectionReason.MissingSchemaVersion, "schemaVersion is missing");
            }

            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
            {
                return ParseResult<T>.Reject(RejectionReason.WrongFieldType, "schemaVersion must be an integer");
            }

            if (v != ContractVersion.Current)
            {
                return ParseResult<T>.Reject(RejectionReason.UnsupportedSchemaVersion, $"schemaVersion {v} is not supported (expected {ContractVersion.Current})");
            }

            foreach (var name in required)
            {
                if (!root.TryGetProperty(name, out var field) || field.ValueKind == JsonValueKind.Null)
                {
                    return ParseResult<T>.Reject(RejectionReason.MissingField, $"{name} is missing");
                }
            }

            try
            {
                var value = root.Deserialize(typeInfo);
                return value is null
                    ? ParseResult<T>.Reject(RejectionReason.NotAnObject, "payload is null")
                    : ParseResult<T>.Ok(value);
            }
            catch (JsonException ex)
            {
                return ParseResult<T>.Reject(RejectionReason.WrongFieldType, ex.Path is null ? ex.Message : $"{ex.Path}: {ex.Message}");
            }
        }
    }

    private static string? RangeProblem(TelemetryMessage m, PayloadLimits limits)
    {
        if (!m.Position.IsValid)
        {
            return "lat must be within [-90, 90] and lon within [-180, 180]";
        }

        if (m.SpeedMps is { } speed && !(speed >= 0 && speed <= limits.MaxSpeedMps))
        {
            return $"speedMps must be within [0, {limits.MaxSpeedMps}]";
        }

        if (m.HeadingDeg is { } heading && !(heading >= 0 && heading < 360))
        {
            return "headingDeg must be within [0, 360)";
        }

        if (m.ServingSiteId is { } site && !EntityId.IsValid(site))
        {
            return "servingSiteId is not a valid id";
        }

        if (m.FleetId is { } fleet && !EntityId.IsValid(fleet))
        {
            return "fleetId is not a valid id";
        }

        if (m.RttMs is { } rtt)
        {
            if (rtt.Count > limits.MaxRttEntries)
            {
                return $"rttMs has {rtt.Count} entries; the limit is {limits.MaxRttEntries}";
            }

            foreach (var (siteId, ms) in rtt)
            {
                if (!EntityId.IsValid(siteId) || !(ms >= 0 && ms <= limits.MaxRttMs))
                {
                    return $"rttMs['{siteId}'] must name a valid site and be within [0, {limits.MaxRttMs}]";
                }
            }
        }

        return null;
    }

    private static bool IsHostPort(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        return colon > 0 && int.TryParse(endpoint.AsSpan(colon + 1), out var port) && port is > 0 and <= 65535;
    }
}
