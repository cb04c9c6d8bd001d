using EdgeMigrate.Models;
using EdgeMigrate.Silo.Ingestion;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using System.Buffers;
using Polly.Registry;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>
/// Keeps the silo's MQTT connection up (connect, subscribe, ping, reconnect with back-off) and feeds
/// received messages, routed once by topic, through the ingestion lanes to <see cref="InboundRouter"/>. On shutdown it
/// unsubscribes first and drains what it already received, so nothing accepted is lost.
/// </summary>
public sealed partial class MqttBridge(
    MqttConnection connection,
    InboundRouter router,
    IOptions<MqttOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    TimeProvider timeProvider,
    ILogger<MqttBridge> logger) : BackgroundService
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ShutdownQuietPeriod = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ShutdownQuietLimit = TimeSpan.FromSeconds(10);
    private long _received;
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InboundLanes? _lanes;

    /// <summary>Completes when the bridge first connected and subscribed.</summary>
    public Task Connected => _firstConnection.Task;

    /// <summary>The topic filters this silo subscribes to: one per kind with a handler (shared when a group is configured).</summary>
    public IReadOnlyList<string> TopicFilters
    {
        get
        {
            var group = options.Value.SharedGroup ?? (options.Value.UsesEmbeddedBroker ? null : "edgemigrate");
            var filters = router.Kinds.Select(MqttTopics.Filter);
            return [.. group is null ? filters : filters.Select(f => MqttTopics.Shared(group, f))];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lanes = new InboundLanes(options.Value.IngestLanes, 1024, router.ProcessAsync, logger);
        _lanes.Start();
        connection.Client.ApplicationMessageReceivedAsync += OnMessageAsync;
        var connect = pipelines.GetPipeline(MqttPipelines.Connect);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await connection.Client.TryPingAsync(stoppingToken))
                {
                    await connect.ExecuteAsync(static async (bridge, ct) => await bridge.ConnectAndSubscribeAsync(ct), this, stoppingToken);
                }

                await Task.Delay(PingInterval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (connection.IsConnected)
        {
            try
            {
                var unsubscribe = new MqttClientUnsubscribeOptionsBuilder();
                foreach (var filter in TopicFilters)
                {
                    unsubscribe.WithTopicFilter(filter);
                }

                await connection.Client.UnsubscribeAsync(unsubscribe.Build(), cancellationToken);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                LogUnsubscribeFailed(logger, ex.Message);
            }
        }

        await base.StopAsync(cancellationToken);

        // The broker may still hand over messages it had queued for this client before the unsubscribe
        // took effect: keep taking them until the line is quiet, so none is dropped on the floor.
        var quietSince = timeProvider.GetTimestamp();
        var seen = Interlocked.Read(ref _received);
        var stopBy = timeProvider.GetTimestamp() + (long)(ShutdownQuietLimit.TotalSeconds * timeProvider.TimestampFrequency);
        while (timeProvider.GetTimestamp() < stopBy && timeProvider.GetElapsedTime(quietSince) < ShutdownQuietPeriod)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, CancellationToken.None);
            var now = Interlocked.Read(ref _received);
            if (now != seen)
            {
                (seen, quietSince) = (now, timeProvider.GetTimestamp());
            }
        }

        if (_lanes is not null)
        {
            await _lanes.DrainAsync().WaitAsync(cancellationToken);
        }

        connection.Client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        LogStopped(logger);
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        if (!connection.IsConnected)
        {
            await connection.ConnectAsync(cancellationToken);
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in TopicFilters)
        {
            subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var result = await connection.Client.SubscribeAsync(subscribe.Build(), cancellationToken);
        var refused = result.Items.Where(i => (int)i.ResultCode > 2).Select(i => $"{i.TopicFilter.Topic}: {i.ResultCode}").ToList();
        if (refused.Count > 0)
        {
            throw new InvalidOperationException($"broker {connection.Broker} refused subscriptions: {string.Join("; ", refused)}");
        }

        LogConnected(logger, connection.Broker.ToString(), connection.ClientId, string.Join(", ", TopicFilters));
        _firstConnection.TrySetResult();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Acknowledge only after the grain has applied (and persisted) the message.
        e.AutoAcknowledge = false;
        Interlocked.Increment(ref _received);
        if (!router.TryRoute(e.ApplicationMessage.Topic, out var route))
        {
            // Refused (and counted) at the door: nothing to apply, so nothing to wait for.
            await e.AcknowledgeAsync(CancellationToken.None);
            return;
        }

        var payload = e.ApplicationMessage.Payload;
        var message = new InboundMessage(route, payload.IsEmpty ? Array.Empty<byte>() : payload.ToArray(), e.ApplicationMessage.UserProperties ?? [], ct => e.AcknowledgeAsync(ct));
        await _lanes!.EnqueueAsync(message, CancellationToken.None);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Connected to MQTT broker {Broker} as {ClientId}; subscribed to {Filters}")]
    private static partial void LogConnected(ILogger logger, string broker, string clientId, string filters);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "MQTT connection loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Could not unsubscribe before shutdown: {Reason}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "MQTT bridge stopped; ingestion lanes drained")]
    private static partial void LogStopped(ILogger logger);
}
