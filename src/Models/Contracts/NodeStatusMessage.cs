namespace EdgeMigrate.Models.Contracts;

/// <summary>
/// <c>em/v1/nodes/{nodeId}/status</c> (retained). The agent's last-will is the same message with
/// <see cref="Online"/> false, so a dead agent shows offline.
/// </summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.NodeStatusMessage")]
public sealed record NodeStatusMessage
{
    [Id(0)] public required int SchemaVersion { get; init; }
    [Id(1)] public required string NodeId { get; init; }
    [Id(2)] public DateTimeOffset? Timestamp { get; init; }
    [Id(3)] public required bool Online { get; init; }
    [Id(4)] public CpuArchitecture? Arch { get; init; }
    [Id(5)] public IReadOnlyList<WorkloadEngine>? Engines { get; init; }
    [Id(6)] public double? CpuFree { get; init; }
    [Id(7)] public double? MemFreeMiB { get; init; }
    [Id(8)] public string? TransferEndpoint { get; init; }
    [Id(9)] public IReadOnlyDictionary<string, NodeLinkEstimate>? Links { get; init; }
    [Id(10)] public IReadOnlyList<string>? Services { get; init; }

    /// <summary>Optional: where the node is, for target selection by distance.</summary>
    [Id(11)] public double? Lat { get; init; }
    [Id(12)] public double? Lon { get; init; }

    /// <summary>Optional: the edge site this node serves (defaults to the node id).</summary>
    [Id(13)] public string? SiteId { get; init; }
}
