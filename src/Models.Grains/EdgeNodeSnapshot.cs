using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Models.Grains;

[GenerateSerializer, Immutable, Alias("EdgeMigrate.EdgeNodeSnapshot")]
public sealed record EdgeNodeSnapshot
{
    [Id(0)] public required string NodeId { get; init; }
    [Id(1)] public required bool Online { get; init; }
    [Id(2)] public required DateTimeOffset LastStatusAt { get; init; }
    [Id(3)] public CpuArchitecture? Arch { get; init; }
    [Id(4)] public IReadOnlyList<WorkloadEngine> Engines { get; init; } = [];
    [Id(5)] public double? CpuFree { get; init; }
    [Id(6)] public double? MemFreeMiB { get; init; }
    [Id(7)] public string? TransferEndpoint { get; init; }
    [Id(8)] public IReadOnlyDictionary<string, NodeLinkEstimate> Links { get; init; } = new Dictionary<string, NodeLinkEstimate>();
    [Id(9)] public IReadOnlyList<string> Services { get; init; } = [];
    [Id(10)] public GeoPoint? Position { get; init; }
    [Id(11)] public required string SiteId { get; init; }
    [Id(12)] public IReadOnlyList<string> ActiveMigrations { get; init; } = [];
}
