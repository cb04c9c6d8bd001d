using System.Text.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// Realistic telemetry (the contract's JSON, as devices send it) for a fleet of buses. Message i of a batch
/// belongs to device i mod <see cref="Devices"/>; sequence numbers are global and only grow, so every device's
/// reports carry strictly increasing sequences across warm-up and measured batches, and the sink can map a
/// sequence straight back to the message's index.
/// </summary>
public sealed class TelemetryWorkload
{
    private readonly string[] _deviceIds;
    private readonly string[] _topics;
    private readonly long[] _lastSequence;
    private readonly TimeProvider _timeProvider;
    private long _nextSequence = 1;

    public TelemetryWorkload(int devices, TimeProvider timeProvider)
    {
        _deviceIds = Enumerable.Range(0, devices).Select(d => $"bench-bus-{d:D4}").ToArray();
        _topics = _deviceIds.Select(MqttTopics.Telemetry).ToArray();
        _lastSequence = new long[devices];
        _timeProvider = timeProvider;
    }

    public int Devices => _deviceIds.Length;

    public string DeviceId(int device) => _deviceIds[device];

    /// <summary>The highest sequence sent to <paramref name="device"/> so far, or 0.</summary>
    public long LastSequence(int device) => _lastSequence[device];

    /// <summary>Serialises the next <paramref name="count"/> messages up front, so the timed run only publishes.</summary>
    public WorkloadBatch NextBatch(int count)
    {
        var first = _nextSequence;
        _nextSequence += count;
        var now = _timeProvider.GetUtcNow();
        var messages = new MqttApplicationMessage[count];
        for (var i = 0; i < count; i++)
        {
            var device = i % Devices;
            var sequence = first + i;
            // Buses spread over Staten Island, each moving a few metres per report.
            var step = sequence / Devices;
            var report = new TelemetryMessage
            {
                SchemaVersion = ContractVersion.Current,
                DeviceId = _deviceIds[device],
                Timestamp = now,
                Lat = 40.58 + (device % 20 * 0.004) + (step % 500 * 0.00002),
                Lon = -74.15 + (device / 20 * 0.006) - (step % 500 * 0.00003),
                SpeedMps = 6 + (device % 7),
                HeadingDeg = (device * 37 + step) % 360,
                ServingSiteId = $"site-{device % 24:D2}",
                RttMs = new Dictionary<string, double>
                {
                    [$"site-{device % 24:D2}"] = 8 + (step % 5),
                    [$"site-{(device + 1) % 24:D2}"] = 15 + (step % 7),
                    [$"site-{(device + 2) % 24:D2}"] = 22 + (step % 3),
                },
                Sequence = sequence,
            };
            messages[i] = new MqttApplicationMessageBuilder()
                .WithTopic(_topics[device])
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(report, ContractJsonContext.Default.TelemetryMessage))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            _lastSequence[device] = sequence;
        }

        return new WorkloadBatch(first, messages);
    }
}

/// <summary>Pre-serialised messages whose sequences are <see cref="FirstSequence"/> + index.</summary>
public sealed record WorkloadBatch(long FirstSequence, MqttApplicationMessage[] Messages)
{
    public int Count => Messages.Length;

    public int PayloadBytes => (int)Messages[0].Payload.Length;
}
