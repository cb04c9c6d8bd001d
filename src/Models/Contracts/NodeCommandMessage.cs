namespace EdgeMigrate.Models.Contracts;

/// <summary><c>em/v1/nodes/{nodeId}/commands</c>: what the silo asks an agent to do.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.NodeCommandMessage")]
public sealed record NodeCommandMessage
{
    [Id(0)] public required int SchemaVersion { get; init; }
    [Id(1)] public required NodeCommandKind Kind { get; init; }
    [Id(2)] public required string MigrationId { get; init; }
    [Id(3)] public required DateTimeOffset Timestamp { get; init; }
    [Id(4)] public MigrationRole? Role { get; init; }
    [Id(5)] public string? ServiceId { get; init; }
    [Id(6)] public WorkloadEngine? Engine { get; init; }
    [Id(7)] public MigrationMode? Mode { get; init; }

    /// <summary>The other agent: its node id and transfer endpoint (host:port).</summary>
    [Id(8)] public string? PeerNodeId { get; init; }
    [Id(9)] public string? PeerEndpoint { get; init; }

    /// <summary>Silo-signed token that authorises this one migration between the two peers.</summary>
    [Id(10)] public string? Token { get; init; }
    [Id(11)] public MigrationLimits? Limits { get; init; }

    /// <summary>Workload reference: image / bundle for containers, module for wasm.</summary>
    [Id(12)] public string? Workload { get; init; }
    [Id(13)] public string? Reason { get; init; }
}
