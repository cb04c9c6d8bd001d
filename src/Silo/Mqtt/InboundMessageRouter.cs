using System.Diagnostics;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>
/// Validates an inbound message and hands it to the grain it concerns. Anything invalid is rejected with a
/// counted reason before any grain sees it, so bad input never changes state.
/// </summary>
public sealed partial class InboundMessageRouter(
    IGrainFactory grains,
    IngestionMetrics metrics,
    IOptions<MqttOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    TimeProvider timeProvider,
    ILogger<InboundMessageRouter> logger)
{
    private readonly PayloadLimits _limits = new() { MaxPayloadBytes = options.Value.MaxPayloadBytes };
    private readonly ResiliencePipeline _grainCalls = pipelines.GetPipeline(MqttPipelines.GrainCall);

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

                await CallAsync(InboundKind.Telemetry, static s => s.Grain.RecordTelemetryAsync(s.Report), (Grain: grains.GetGrain<IDeviceGrain>(id), Report: parsed.Value));
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

                await CallAsync(InboundKind.NodeStatus, static s => s.Grain.UpdateStatusAsync(s.Status), (Grain: grains.GetGrain<IEdgeNodeGrain>(id), Status: parsed.Value));
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

                var applied = await CallAsync(InboundKind.MigrationEvent, static s => s.Grain.ApplyEventAsync(s.Event), (Grain: migration, Event: parsed.Value));
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

    /// <summary>
    /// Calls a grain through the retry pipeline (a silo leaving the cluster makes calls fail for a moment
    /// while its grains re-activate elsewhere); counts a failure only when every attempt failed.
    /// </summary>
    private async Task CallAsync<TState>(InboundKind kind, Func<TState, Task> call, TState state) =>
        await CallAsync(kind, static async s => { await s.call(s.state); return true; }, (call, state));

    private async Task<T> CallAsync<TState, T>(InboundKind kind, Func<TState, Task<T>> call, TState state)
    {
        try
        {
            return await _grainCalls.ExecuteAsync(static async (s, _) => await s.call(s.state), (call, state), CancellationToken.None);
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
