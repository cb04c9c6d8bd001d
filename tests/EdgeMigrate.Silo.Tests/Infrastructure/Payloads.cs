using System.Globalization;
using System.Text.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>Valid contract payloads for tests, with the fields a test cares about as parameters.</summary>
public static class Payloads
{
    public static TelemetryMessage Telemetry(string deviceId, double lat = 40.6431, double lon = -74.0741, long? sequence = null, DateTimeOffset? at = null, string? servingSite = "site-17", IReadOnlyDictionary<string, double>? rttMs = null) => new()
    {
        SchemaVersion = ContractVersion.Current,
        DeviceId = deviceId,
        Timestamp = at ?? TimeProvider.System.GetUtcNow(),
        Lat = lat,
        Lon = lon,
        SpeedMps = 8.4,
        HeadingDeg = 271,
        ServingSiteId = servingSite,
        RttMs = rttMs ?? new Dictionary<string, double> { ["site-17"] = 11.8, ["site-18"] = 19.2 },
        Sequence = sequence,
    };

    public static string TelemetryJson(string deviceId, long? sequence = null) =>
        JsonSerializer.Serialize(Telemetry(deviceId, sequence: sequence), ContractJsonContext.Default.TelemetryMessage);

    public static NodeStatusMessage NodeStatus(string nodeId, CpuArchitecture arch = CpuArchitecture.X64, bool online = true, int transferPort = 7701, params WorkloadEngine[] engines) => new()
    {
        SiteId = nodeId,
        SchemaVersion = ContractVersion.Current,
        NodeId = nodeId,
        Timestamp = TimeProvider.System.GetUtcNow(),
        Online = online,
        Arch = arch,
        Engines = engines.Length == 0 ? [WorkloadEngine.Container, WorkloadEngine.Wasm] : engines,
        CpuFree = 0.6,
        MemFreeMiB = 3100,
        TransferEndpoint = "127.0.0.1:" + transferPort.ToString(CultureInfo.InvariantCulture),
        Services = [],
    };

    public static NodeStatusMessage Offline(string nodeId) => new() { SchemaVersion = ContractVersion.Current, NodeId = nodeId, Online = false };

    public static MigrationEventMessage Event(string migrationId, string nodeId, MigrationEventPhase phase, int? round = null, long? bytes = null, double? downtimeMs = null, string? error = null) => new()
    {
        SchemaVersion = ContractVersion.Current,
        MigrationId = migrationId,
        NodeId = nodeId,
        Timestamp = TimeProvider.System.GetUtcNow(),
        Phase = phase,
        Round = round,
        BytesSent = bytes,
        DirtyBytes = bytes is null ? null : bytes / 4,
        DowntimeMs = downtimeMs,
        Error = error,
    };
}
