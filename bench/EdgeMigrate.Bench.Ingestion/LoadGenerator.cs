using System.Diagnostics;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// Real MQTTnet clients publishing at QoS 1. Publisher p owns the devices d with d mod P = p and sends their
/// messages in batch order over one connection, so each device's reports reach the broker in sequence.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly IMqttClient[] _clients;
    private readonly int _devices;

    private LoadGenerator(IMqttClient[] clients, int devices) => (_clients, _devices) = (clients, devices);

    public static async Task<LoadGenerator> ConnectAsync(int port, int publishers, int devices, CancellationToken cancellationToken)
    {
        var clients = new IMqttClient[publishers];
        for (var p = 0; p < publishers; p++)
        {
            clients[p] = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId($"bench-publisher-{p}-{Environment.ProcessId}")
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanStart(true)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
                .WithTimeout(TimeSpan.FromSeconds(60))
                .Build();
            await clients[p].ConnectAsync(options, cancellationToken);
        }

        return new LoadGenerator(clients, devices);
    }

    /// <summary>
    /// Saturation: publish as fast as the end-to-end window allows; a slot frees when the sink observes a
    /// message, so the publishers run exactly as fast as the slowest stage and no queue grows without bound.
    /// </summary>
    public Task RunClosedLoopAsync(WorkloadBatch batch, RunRecorder recorder, SemaphoreSlim window, CancellationToken cancellationToken) =>
        Task.WhenAll(_clients.Select((client, p) => Task.Run(
            async () =>
            {
                var pending = new List<Task>(batch.Count / _clients.Length + 1);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (i % _devices % _clients.Length != p)
                    {
                        continue;
                    }

                    await window.WaitAsync(cancellationToken);
                    recorder.MarkSent(i, Stopwatch.GetTimestamp());
                    pending.Add(PublishAsync(client, batch.Messages[i], cancellationToken));
                }

                await Task.WhenAll(pending);
            },
            cancellationToken)));

    /// <summary>
    /// Open loop: message i is due at start + i / rate whatever happened to earlier ones, and its latency is
    /// counted from when it was due, so a stalled publisher cannot hide queueing (no coordinated omission).
    /// </summary>
    public Task RunOpenLoopAsync(WorkloadBatch batch, RunRecorder recorder, double messagesPerSecond, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        var ticksPerMessage = Stopwatch.Frequency / messagesPerSecond;
        return Task.WhenAll(_clients.Select((client, p) => Task.Run(
            async () =>
            {
                var pending = new List<Task>(batch.Count / _clients.Length + 1);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (i % _devices % _clients.Length != p)
                    {
                        continue;
                    }

                    var due = start + (long)(i * ticksPerMessage);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > Stopwatch.Frequency / 2000)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), TimeProvider.System, cancellationToken);
                    }

                    // A message sent slightly early counts from its real send time, a late one from when it was due.
                    recorder.MarkSent(i, Math.Min(due, Stopwatch.GetTimestamp()));
                    pending.Add(PublishAsync(client, batch.Messages[i], cancellationToken));
                }

                await Task.WhenAll(pending);
            },
            cancellationToken)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync();
            }

            client.Dispose();
        }
    }

    private static async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var result = await client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"broker refused a publish to {message.Topic}: {result.ReasonCode} {result.ReasonString}");
        }
    }
}
