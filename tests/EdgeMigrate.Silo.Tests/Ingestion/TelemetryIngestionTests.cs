using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Metrics;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Ingestion;

/// <summary>Real MQTT clients (Debian's mosquitto_pub and MQTTnet) publish to the embedded broker; results are read back over HTTP.</summary>
[Trait("Category", TestCategories.Mqtt)]
public sealed class TelemetryIngestionTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task Telemetry_from_mosquitto_pub_reaches_the_device_grain()
    {
        var ct = TestContext.Current.CancellationToken;

        await MosquittoCli.PublishAsync(Silo.MqttPort, MqttTopics.Telemetry("bus-S40-0731"), Payloads.TelemetryJson("bus-S40-0731", sequence: 1), ct);

        var device = await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/bus-S40-0731", ct), d => d is not null, "the device to appear", cancellationToken: ct);
        Assert.Equal(40.6431, device!.Position.Lat);
        Assert.Equal(-74.0741, device.Position.Lon);
        Assert.Equal("site-17", device.ServingSiteId);
        Assert.Equal(1, device.AcceptedReports);
        Assert.Equal(19.2, device.RttMs["site-18"]);
    }

    [Fact]
    public async Task Reports_are_applied_in_order_and_replays_do_not_move_the_device_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await TestMqttClient.ConnectAsync(Silo.MqttPort, "order-test", cancellationToken: ct);

        for (var i = 1; i <= 20; i++)
        {
            await client.PublishAsync(MqttTopics.Telemetry("tram-7"), Payloads.Telemetry("tram-7", lat: 40 + (i / 100.0), sequence: i), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);
        }

        await client.PublishAsync(MqttTopics.Telemetry("tram-7"), Payloads.Telemetry("tram-7", lat: 10, sequence: 3), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);

        var device = await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/tram-7", ct), d => d?.DuplicateReports == 1, "the replay to be counted", cancellationToken: ct);
        Assert.Equal(20, device!.AcceptedReports);
        Assert.Equal(20, device.LastSequence);
        Assert.Equal(40.2, device.Position.Lat, 6);
    }

    [Fact]
    public async Task Node_status_and_its_last_will_show_a_dead_agent_offline()
    {
        var ct = TestContext.Current.CancellationToken;
        var agent = await TestMqttClient.ConnectAsync(Silo.MqttPort, "agent-edge-lw", Payloads.Offline("edge-lw"), ct);
        await agent.PublishAsync(MqttTopics.NodeStatus("edge-lw"), Payloads.NodeStatus("edge-lw", CpuArchitecture.Arm64), ContractJsonContext.Default.NodeStatusMessage, retain: true, ct);

        var online = await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<EdgeNodeSnapshot>("/api/nodes/edge-lw", ct), n => n is { Online: true }, "the node to report online", cancellationToken: ct);
        Assert.Equal(CpuArchitecture.Arm64, online!.Arch);

        agent.Kill();

        var offline = await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<EdgeNodeSnapshot>("/api/nodes/edge-lw", ct), n => n is { Online: false }, "the last-will to mark the node offline", cancellationToken: ct);
        Assert.Equal(CpuArchitecture.Arm64, offline!.Arch);
        Assert.Equal("127.0.0.1:7701", offline.TransferEndpoint);
    }

    [Fact]
    public async Task Malformed_payloads_are_rejected_by_reason_and_change_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = await Silo.GetAsync<IngestionStatistics>("/api/stats", ct);
        (string Topic, string Payload, string Reason)[] bad =
        [
            (MqttTopics.Telemetry("ghost-1"), "{\"schemaVersion\":1,", "malformed-json"),
            (MqttTopics.Telemetry("ghost-1"), "{\"schemaVersion\":3,\"deviceId\":\"ghost-1\"}", "unsupported-schema-version"),
            (MqttTopics.Telemetry("ghost-1"), "{\"schemaVersion\":1,\"deviceId\":\"ghost-1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":95,\"lon\":2}", "out-of-range"),
            (MqttTopics.Telemetry("ghost-1"), "{\"schemaVersion\":1,\"deviceId\":\"ghost-1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":{}}", "wrong-field-type"),
            (MqttTopics.Telemetry("ghost-1"), "{\"schemaVersion\":1,\"pad\":\"" + new string('x', 20_000) + "\"}", "oversized"),
            (MqttTopics.NodeStatus("ghost-node"), "{\"schemaVersion\":1,\"nodeId\":\"ghost-node\",\"online\":true,\"cpuFree\":7}", "out-of-range"),
            (MqttTopics.MigrationEvents("no-such-migration"), "{\"schemaVersion\":1,\"migrationId\":\"no-such-migration\",\"nodeId\":\"edge-1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"phase\":\"round\"}", "unknown-migration"),
        ];

        foreach (var (topic, payload, _) in bad)
        {
            await MosquittoCli.PublishAsync(Silo.MqttPort, topic, payload, ct);
        }

        var after = await Eventually.GetAsync(() => Silo.GetAsync<IngestionStatistics>("/api/stats", ct), s => s.Rejected >= before.Rejected + bad.Length, "every bad payload to be counted", cancellationToken: ct);
        Assert.Equal(before.Rejected + bad.Length, after.Rejected);
        Assert.Equal(before.Failed, after.Failed);
        foreach (var group in bad.GroupBy(b => b.Reason))
        {
            Assert.Equal(before.RejectedByReason.GetValueOrDefault(group.Key) + group.Count(), after.RejectedByReason[group.Key]);
        }

        Assert.Null(await Silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/ghost-1", ct));
        Assert.Null(await Silo.GetOrDefaultAsync<EdgeNodeSnapshot>("/api/nodes/ghost-node", ct));
    }
}
