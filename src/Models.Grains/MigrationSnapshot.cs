namespace EdgeMigrate.Models.Grains;

[GenerateSerializer, Immutable, Alias("EdgeMigrate.MigrationSnapshot")]
public sealed record MigrationSnapshot
{
    [Id(0)] public required MigrationPlan Plan { get; init; }
    [Id(1)] public required MigrationState State { get; init; }
    [Id(2)] public required DateTimeOffset RequestedAt { get; init; }
    [Id(3)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(4)] public int Rounds { get; init; }
    [Id(5)] public long BytesSent { get; init; }
    [Id(6)] public long? LastDirtyBytes { get; init; }
    [Id(7)] public double? DowntimeMs { get; init; }
    [Id(8)] public string? Error { get; init; }
    [Id(9)] public IReadOnlyList<MigrationTransition> History { get; init; } = [];
    [Id(10)] public double? LastRateMbps { get; init; }

    /// <summary>Agent events that did not fit the saga (wrong node, wrong phase): ignored, counted.</summary>
    [Id(11)] public int IgnoredEvents { get; init; }

    public string MigrationId => Plan.MigrationId;
}
