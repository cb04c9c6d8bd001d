namespace EdgeMigrate.Models.Contracts;

/// <summary><c>em/v1/nodes/{nodeId}/commands</c>: what the silo asks an agent to do.</summary>
public sealed record NodeCommandMessage
{
    public required int SchemaVersion { get; init; }
    public required NodeCommandKind Kind { get; init; }
    public required string MigrationId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public MigrationRole? Role { get; init; }
    public string? ServiceId { get; init; }
    public WorkloadEngine? Engine { get; init; }
    public MigrationMode? Mode { get; init; }

    /// <summary>The other agent: its node id and transfer endpoint (host:port).</summary>
    public string? PeerNodeId { get; init; }
    public string? PeerEndpoint { get; init; }

    /// <summary>Silo-signed token that authorises this one migration between the two peers.</summary>
    public string? Token { get; init; }
    public MigrationLimits? Limits { get; init; }

    /// <summary>Workload reference: image / bundle for containers, module for wasm.</summary>
    public string? Workload { get; init; }
    public string? Reason { get; init; }
}
