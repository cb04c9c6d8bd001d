using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Mqtt;
using EdgeMigrate.Silo.Telemetry;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeMigrate.Silo.Demo;

/// <summary>
/// Simulated buses that publish telemetry to the silo's broker with a real MQTT client, exactly as devices
/// do, and a periodic summary of what the silo made of it. Deterministic for a seed.
/// </summary>
public sealed partial class DemoFleet(
    IOptions<DemoOptions> options,
    MqttConnection silo,
    MqttBridge bridge,
    IngestionMetrics metrics,
    TimeProvider timeProvider,
    ILogger<DemoFleet> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        await bridge.Connected.WaitAsync(stoppingToken);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(silo.Broker.Host, silo.Broker.Port).WithClientId($"edgemigrate-demo-{Environment.ProcessId}").Build(), stoppingToken);
        LogStarting(logger, o.Devices, silo.Broker.ToString(), DemoRoute.LoopLength / 1000);

        var random = new Random(o.Seed);
        var devices = Enumerable.Range(1, o.Devices)
            .Select(i => new DemoDevice($"bus-demo-{i:D3}", random.NextDouble() * DemoRoute.LoopLength, 6 + (random.NextDouble() * 8)))
            .ToArray();
        var lastSummary = timeProvider.GetTimestamp();
        long sent = 0;
        using var timer = new PeriodicTimer(o.ReportInterval, timeProvider);
        do
        {
            foreach (var device in devices)
            {
                device.Advance(o.ReportInterval.TotalSeconds);
                sent++;
                var payload = o.MalformedEvery > 0 && sent % o.MalformedEvery == 0 ? Malformed(device, sent) : Report(device, random);
                await client.PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(MqttTopics.Telemetry(device.Id))
                    .WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(), stoppingToken);
            }

            if (timeProvider.GetElapsedTime(lastSummary) >= o.SummaryInterval)
            {
                lastSummary = timeProvider.GetTimestamp();
                PrintSummary(devices[0], sent);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private byte[] Report(DemoDevice device, Random random)
    {
        var rtt = DemoRoute.Sites.ToDictionary(s => s.SiteId, s => Math.Round(2 + (s.Position.DistanceMetresTo(device.Position) / 1000 * 4) + (random.NextDouble() * 1.5), 1));
        device.ServingSiteId = rtt.MinBy(p => p.Value).Key;
        return JsonSerializer.SerializeToUtf8Bytes(new TelemetryMessage
        {
            SchemaVersion = ContractVersion.Current,
            DeviceId = device.Id,
            Timestamp = timeProvider.GetUtcNow(),
            Lat = Math.Round(device.Position.Lat, 6),
            Lon = Math.Round(device.Position.Lon, 6),
            SpeedMps = Math.Round(device.SpeedMps, 2),
            HeadingDeg = Math.Round(device.HeadingDeg, 1) % 360,
            ServingSiteId = device.ServingSiteId,
            RttMs = rtt,
            FleetId = "demo",
            Sequence = ++device.Sequence,
        }, ContractJsonContext.Default.TelemetryMessage);
    }

    private static byte[] Malformed(DemoDevice device, long n) => (n / 50 % 3) switch
    {
        0 => Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"deviceId\":\"" + device.Id + "\",\"timestamp\":\"2026-11-25T00:00:00Z\",\"lat\":123.4,\"lon\":-74.1}"),
        1 => Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"deviceId\":"),
        _ => Encoding.UTF8.GetBytes("{\"schemaVersion\":9,\"deviceId\":\"" + device.Id + "\"}"),
    };

    private void PrintSummary(DemoDevice sample, long sent)
    {
        var stats = metrics.Snapshot("local");
        var rejected = string.Join(", ", stats.RejectedByReason.Select(p => $"{p.Key} {p.Value}"));
        LogSummary(logger, sent, stats.Accepted, stats.Rejected, rejected.Length == 0 ? "none" : rejected, sample.Id,
            sample.Position.Lat.ToString("0.0000", CultureInfo.InvariantCulture), sample.Position.Lon.ToString("0.0000", CultureInfo.InvariantCulture), sample.ServingSiteId ?? "?");
    }

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Demo: {Devices} simulated bus(es) publishing telemetry to {Broker} around a {LoopKm:0.0} km loop on Staten Island")]
    private static partial void LogStarting(ILogger logger, int devices, string broker, double loopKm);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Demo: sent {Sent}, silo accepted {Accepted}, rejected {Rejected} ({Reasons}); {Device} at {Lat},{Lon} best site {Site}")]
    private static partial void LogSummary(ILogger logger, long sent, long accepted, long rejected, string reasons, string device, string lat, string lon, string site);
}
