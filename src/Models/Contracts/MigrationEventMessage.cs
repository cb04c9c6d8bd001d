namespace EdgeMigrate.Models.Contracts;

/// <summary><c>em/v1/migrations/{migrationId}/events</c>: progress and outcome reported by an agent.</summary>
public sealed record MigrationEventMessage
{
    public required int SchemaVersion { get; init; }
    public required string MigrationId { get; init; }
    public required string NodeId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required MigrationEventPhase Phase { get; init; }
    public int? Round { get; init; }
    public long? BytesSent { get; init; }
    public long? DirtyBytes { get; init; }
    public double? RateMbps { get; init; }

    /// <summary>Downtime measured by the agent: freeze on the source to running on the target.</summary>
    public double? DowntimeMs { get; init; }
    public string? Error { get; init; }
}
