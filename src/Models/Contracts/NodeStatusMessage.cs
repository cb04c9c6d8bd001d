namespace EdgeMigrate.Models.Contracts;

/// <summary>
/// <c>em/v1/nodes/{nodeId}/status</c> (retained). The agent's last-will is the same message with
/// <see cref="Online"/> false, so a dead agent shows offline.
/// </summary>
public sealed record NodeStatusMessage
{
    public required int SchemaVersion { get; init; }
    public required string NodeId { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public required bool Online { get; init; }
    public CpuArchitecture? Arch { get; init; }
    public IReadOnlyList<WorkloadEngine>? Engines { get; init; }
    public double? CpuFree { get; init; }
    public double? MemFreeMiB { get; init; }
    public string? TransferEndpoint { get; init; }
    public IReadOnlyDictionary<string, NodeLinkEstimate>? Links { get; init; }
    public IReadOnlyList<string>? Services { get; init; }

    /// <summary>Optional: where the node is, for target selection by distance.</summary>
    public double? Lat { get; init; }
    public double? Lon { get; init; }

    /// <summary>Optional: the edge site this node serves (defaults to the node id).</summary>
    public string? SiteId { get; init; }
}
