namespace EdgeMigrate.Models.Contracts;

/// <summary><c>em/v1/services/{serviceId}/endpoint</c> (retained): where devices connect now.</summary>
public sealed record ServiceEndpointMessage
{
    public required int SchemaVersion { get; init; }
    public required string ServiceId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string NodeId { get; init; }
    public string? SiteId { get; init; }
    public string? Address { get; init; }
    public string? MigrationId { get; init; }
}
