namespace EdgeMigrate.Models.Contracts;

/// <summary><c>em/v1/services/{serviceId}/endpoint</c> (retained): where devices connect now.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.ServiceEndpointMessage")]
public sealed record ServiceEndpointMessage
{
    [Id(0)] public required int SchemaVersion { get; init; }
    [Id(1)] public required string ServiceId { get; init; }
    [Id(2)] public required DateTimeOffset Timestamp { get; init; }
    [Id(3)] public required string NodeId { get; init; }
    [Id(4)] public string? SiteId { get; init; }
    [Id(5)] public string? Address { get; init; }
    [Id(6)] public string? MigrationId { get; init; }
}
