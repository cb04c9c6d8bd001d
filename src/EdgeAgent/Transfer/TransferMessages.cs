using System.Text.Json.Serialization;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>Why a receiver refused a sender.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefusalCode>))]
public enum RefusalCode
{
    /// <summary>The receiver was not (yet) told about this migration as target: the sender retries briefly.</summary>
    UnknownMigration,

    /// <summary>The token is not the one the silo gave the target for this migration.</summary>
    BadToken,

    /// <summary>Anything else that must not be retried.</summary>
    Fatal,
}

public sealed record HelloMessage(string MigrationId, string ServiceId, string Token, string SenderNodeId, string? Workload);

public sealed record WelcomeMessage(uint Round, uint Seq, bool HasBundle, bool FinalComplete);

public sealed record RefusedMessage(RefusalCode Code, string Reason);

public sealed record ManifestFile(string Name, long Length, string Xxh128, string? Sha256);

public sealed record RoundManifest(uint Round, string Kind, bool Final, IReadOnlyList<ManifestFile> Files, uint FrameCount);

public sealed record RoundEndMessage(double? FrozenMs, double? RttMs);

public sealed record RestoredMessage(double DowntimeMs, double RestoreMs);

public sealed record ReasonMessage(string Reason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(WelcomeMessage))]
[JsonSerializable(typeof(RefusedMessage))]
[JsonSerializable(typeof(RoundManifest))]
[JsonSerializable(typeof(RoundEndMessage))]
[JsonSerializable(typeof(RestoredMessage))]
[JsonSerializable(typeof(ReasonMessage))]
internal sealed partial class TransferJsonContext : JsonSerializerContext;
