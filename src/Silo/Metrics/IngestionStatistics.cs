namespace EdgeMigrate.Silo.Metrics;

/// <summary>What <c>GET /api/stats</c> returns: this silo's accepted and rejected counts since it started.</summary>
public sealed record IngestionStatistics
{
    public required string Silo { get; init; }
    public required DateTimeOffset Since { get; init; }
    public required long Accepted { get; init; }
    public required long Rejected { get; init; }
    public required IReadOnlyDictionary<string, long> AcceptedByKind { get; init; }
    public required IReadOnlyDictionary<string, long> RejectedByReason { get; init; }
    public required IReadOnlyDictionary<string, long> RejectedByKind { get; init; }
    public long Failed { get; init; }
}
