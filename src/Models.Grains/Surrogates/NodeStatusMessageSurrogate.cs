using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>How grains store and pass <see cref="NodeStatusMessage"/> (the ids are those it was persisted with: never renumber).</summary>
[GenerateSerializer, Alias("EdgeMigrate.Surrogates.NodeStatusMessage")]
public record struct NodeStatusMessageSurrogate
{
    [Id(0)] public int SchemaVersion;
    [Id(1)] public string NodeId;
    [Id(2)] public DateTimeOffset? Timestamp;
    [Id(3)] public bool Online;
    [Id(4)] public CpuArchitecture? Arch;
    [Id(5)] public IReadOnlyList<WorkloadEngine>? Engines;
    [Id(6)] public double? CpuFree;
    [Id(7)] public double? MemFreeMiB;
    [Id(8)] public string? TransferEndpoint;
    [Id(9)] public IReadOnlyDictionary<string, NodeLinkEstimate>? Links;
    [Id(10)] public IReadOnlyList<string>? Services;
    [Id(11)] public double? Lat;
    [Id(12)] public double? Lon;
    [Id(13)] public string? SiteId;
}
