namespace EdgeMigrate.Models.Contracts;

/// <summary><c>em/v1/migrations/{migrationId}/events</c>: progress and outcome reported by an agent.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationEventMessage")]
public sealed record MigrationEventMessage
{
    [Id(0)] public required int SchemaVersion { get; init; }
    [Id(1)] public required string MigrationId { get; init; }
    [Id(2)] public required string NodeId { get; init; }
    [Id(3)] public required DateTimeOffset Timestamp { get; init; }
    [Id(4)] public required MigrationEventPhase Phase { get; init; }
    [Id(5)] public int? Round { get; init; }
    [Id(6)] public long? BytesSent { get; init; }
    [Id(7)] public long? DirtyBytes { get; init; }
    [Id(8)] public double? RateMbps { get; init; }

    /// <summary>Downtime measured by the agent: freeze on the source to running on the target.</summary>
    [Id(9)] public double? DowntimeMs { get; init; }
    [Id(10)] public string? Error { get; init; }
}
