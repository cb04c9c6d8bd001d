using System.Diagnostics;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Telemetry;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>
/// Validates an inbound message and hands it to the grain it concerns. Anything invalid is rejected with a
/// counted reason before any grain sees it, so bad input never changes state.
/// </summary>
public sealed partial class InboundMessageRouter(
    IGrainFactory grains,
    IngestionMetrics metrics,
    IOptions<MqttOptions> options,
    TimeProvider timeProvider,
    ILogger<InboundMessageRouter> logger)
{
    private readonly PayloadLimits _limits = new() { MaxPayloadBytes = options.Value.MaxPayloadBytes };

    /// <summary>Routes one message. Returns normally for accepted and rejected messages; throws only when a grain call failed.</summary>
    public async Task RouteAsync(string topic, ReadOnlyMemory<byte> payload)
    {
        var started = Stopwatch.GetTimestamp();
        if (!MqttTopics.TryParse(topic, out var kind, out var id, out var leaf))
        {
            Reject(InboundKind.Unknown, topic, new Rejection(RejectionReason.UnknownTopic, "topic is not em/v1/{kind}/{id}/{leaf} with a valid id"));
            return;
        }

        switch (kind, leaf)
        {
            case ("devices", "telemetry"):
            {
                var parsed = ContractParser.ParseTelemetry(payload.Span, id, timeProvider.GetUtcNow(), _limits);
                if (!parsed.IsValid)
                {
                    Reject(InboundKind.Telemetry, topic, parsed.Rejection);
                    return;
                }

                await Guard(InboundKind.Telemetry, grains.GetGrain<IDeviceGrain>(id).RecordTelemetryAsync(parsed.Value));
                metrics.Accepted(InboundKind.Telemetry, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }

            case ("nodes", "status"):
            {
                var parsed = ContractParser.ParseNodeStatus(payload.Span, id, _limits);
                if (!parsed.IsValid)
                {
                    Reject(InboundKind.NodeStatus, topic, parsed.Rejection);
                    return;
                }

                await Guard(InboundKind.NodeStatus, grains.GetGrain<IEdgeNodeGrain>(id).UpdateStatusAsync(parsed.Value));
                metrics.Accepted(InboundKind.NodeStatus, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }

            case ("migrations", "events"):
            {
                var parsed = ContractParser.ParseMigrationEvent(payload.Span, id, _limits);
                if (!parsed.IsValid)
                {
                    Reject(InboundKind.MigrationEvent, topic, parsed.Rejection);
                    return;
                }

                var migration = grains.GetGrain<IMigrationGrain>(id);
                if (await migration.GetAsync() is null)
                {
                    Reject(InboundKind.MigrationEvent, topic, new Rejection(RejectionReason.UnknownMigration, $"no migration '{id}' was started"));
                    return;
                }

                var applied = await Guard(InboundKind.MigrationEvent, migration.ApplyEventAsync(parsed.Value));
                if (!applied)
                {
                    Reject(InboundKind.MigrationEvent, topic, new Rejection(RejectionReason.OutOfSequence, $"{parsed.Value.Phase} from node '{parsed.Value.NodeId}' does not fit the saga's state"));
                    return;
                }

                metrics.Accepted(InboundKind.MigrationEvent, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }

            default:
                Reject(InboundKind.Unknown, topic, new Rejection(RejectionReason.UnknownTopic, $"no handler for '{kind}/{leaf}'"));
                return;
        }
    }

    private async Task Guard(InboundKind kind, Task call)
    {
        try
        {
            await call;
        }
        catch (Exception)
        {
            metrics.Failed(kind);
            throw;
        }
    }

    private async Task<T> Guard<T>(InboundKind kind, Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (Exception)
        {
            metrics.Failed(kind);
            throw;
        }
    }

    private void Reject(InboundKind kind, string topic, Rejection rejection)
    {
        metrics.Rejected(kind, rejection.Reason);
        LogRejected(logger, Truncate(topic), rejection.Reason.ToWireName(), rejection.Detail);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Rejected message on {Topic}: {Reason}: {Detail}")]
    private static partial void LogRejected(ILogger logger, string topic, string reason, string detail);
}
