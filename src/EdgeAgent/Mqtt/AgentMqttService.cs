using System.Buffers;
using System.Text.Json;
using EdgeMigrate.EdgeAgent.Commands;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Status;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using Polly.Registry;

namespace EdgeMigrate.EdgeAgent.Mqtt;

/// <summary>
/// Keeps the MQTT session alive (ping, reconnect with back-off), refreshes the retained status, and hands
/// every received command to the <see cref="CommandInbox"/>.
/// On shutdown it publishes "offline" itself (a clean disconnect does not fire the last-will).
/// </summary>
public sealed partial class AgentMqttService(
    AgentMqttConnection connection,
    NodeStatusProvider status,
    CommandInbox inbox,
    IOptions<AgentOptions> options,
    ResiliencePipelineProvider<string> pipelines,
    TimeProvider time,
    ILogger<AgentMqttService> logger) : BackgroundService
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes on the first successful connection.</summary>
    public Task Connected => _connected.Task;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (connection.IsConnected)
        {
            try
            {
                await connection.PublishAsync(MqttTopics.NodeStatus(options.Value.NodeId), AgentMqttConnection.OfflinePayload(options.Value.NodeId), retain: true, cancellationToken);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                LogOfflineNotPublished(logger, ex.Message);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        connection.Client.ApplicationMessageReceivedAsync += OnMessageAsync;
        var connect = pipelines.GetPipeline(AgentPipelines.MqttConnect);
        var nextStatus = 0L;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (!connection.IsConnected || !await connection.Client.TryPingAsync(stoppingToken))
                    {
                        await connect.ExecuteAsync(static async (self, ct) => await self.ConnectOnceAsync(ct), this, stoppingToken);
                        nextStatus = 0;
                        _connected.TrySetResult();
                    }

                    if (time.GetTimestamp() >= nextStatus)
                    {
                        await PublishStatusAsync(stoppingToken);
                        nextStatus = time.GetTimestamp() + (long)(options.Value.StatusInterval.TotalSeconds * time.TimestampFrequency);
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, options.Value.StatusInterval.TotalMilliseconds)), time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    // A lost broker is routine (message only); anything else, e.g. the IndexOutOfRangeException seen under
                    // qemu, is logged with its stack so its origin can be found.
                    LogLoopFailed(logger, ex.Message, ex is MQTTnet.Exceptions.MqttCommunicationException ? null : ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            connection.Client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        }
    }

    /// <summary>Publishes the retained status now (also used after a migration changes the hosted services).</summary>
    public async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        var message = await status.BuildAsync(cancellationToken);
        await connection.PublishAsync(MqttTopics.NodeStatus(options.Value.NodeId), JsonSerializer.SerializeToUtf8Bytes(message, ContractJsonContext.Default.NodeStatusMessage), retain: true, cancellationToken);
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        if (connection.IsConnected)
        {
            return;
        }

        try
        {
            await connection.ConnectAsync(cancellationToken);
            LogConnected(logger, options.Value.MqttUrl);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogConnectFailed(logger, options.Value.MqttUrl, ex.Message);
            throw new MQTTnet.Exceptions.MqttCommunicationException(ex.Message, ex);
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // The inbox runs the command in the background: never block the MQTT receive loop.
        _ = inbox.ReceiveAsync(new ReceivedCommand(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.UserProperties ?? []));
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Connected to MQTT broker {Url}")]
    private static partial void LogConnected(ILogger logger, string url);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "MQTT connect to {Url} failed: {Reason}; backing off")]
    private static partial void LogConnectFailed(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "MQTT loop iteration failed: {Reason}")]
    private static partial void LogLoopFailed(ILogger logger, string reason, Exception? exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Could not publish offline status on shutdown: {Reason}")]
    private static partial void LogOfflineNotPublished(ILogger logger, string reason);
}
