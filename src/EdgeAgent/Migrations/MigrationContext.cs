using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Mqtt;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;
using Polly;

namespace EdgeMigrate.EdgeAgent.Migrations;

/// <summary>What a source or target migration needs from the agent, whatever its engine.</summary>
public sealed class MigrationContext
{
    public required AgentOptions Options { get; init; }

    public required TransferServer Server { get; init; }

    public required IMigrationEventSink Events { get; init; }

    public required ResiliencePipeline TransferPipeline { get; init; }

    public required TransferFaults Faults { get; init; }

    public required TransferTimeouts Timeouts { get; init; }

    public required AgentMetrics Metrics { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILoggerFactory Loggers { get; init; }

    /// <summary>Called when the set of hosted services changed (the status is republished).</summary>
    public Func<Task> ServicesChanged { get; init; } = static () => Task.CompletedTask;

    public string MigrationDirectory(string migrationId, string role) => Path.Combine(Options.WorkDir, "migrations", migrationId, role);

    public Task PublishAsync(string migrationId, MigrationEventPhase phase, int? round = null, long? bytesSent = null, long? dirtyBytes = null, double? rateMbps = null, double? downtimeMs = null, string? error = null) =>
        Events.PublishAsync(
            new MigrationEventMessage
            {
                SchemaVersion = ContractVersion.Current,
                MigrationId = migrationId,
                NodeId = Options.NodeId,
                Timestamp = Time.GetUtcNow(),
                Phase = phase,
                Round = round,
                BytesSent = bytesSent,
                DirtyBytes = dirtyBytes,
                RateMbps = rateMbps,
                DowntimeMs = downtimeMs,
                Error = error is { Length: > 1000 } ? error[..1000] : error,
            },
            CancellationToken.None);
}
