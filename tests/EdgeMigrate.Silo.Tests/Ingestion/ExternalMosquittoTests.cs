using DotNet.Testcontainers.Containers;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Metrics;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Ingestion;

/// <summary>The silo on an external broker (Debian's Mosquitto in a local container) instead of its embedded one.</summary>
[Trait("Category", TestCategories.Mosquitto)]
public sealed class ExternalMosquittoTests : IAsyncLifetime
{
    private readonly IContainer _mosquitto = LocalImages.MosquittoContainer();

    public ValueTask InitializeAsync() => new(LocalImages.StartAsync(_mosquitto, TestContext.Current.CancellationToken));

    public ValueTask DisposeAsync() => _mosquitto.DisposeAsync();

    [Fact]
    public async Task Telemetry_and_status_through_mosquitto_reach_the_grains_and_bad_input_is_counted()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = _mosquitto.GetMappedPublicPort(1883);
        await using var silo = await TestSilo.StartAsync(settings: new Dictionary<string, string?> { ["Mqtt:Url"] = $"mqtt://127.0.0.1:{port}" }, cancellationToken: ct);

        await MosquittoCli.PublishAsync(port, MqttTopics.Telemetry("bus-ext-1"), Payloads.TelemetryJson("bus-ext-1", sequence: 1), ct);
        await MosquittoCli.PublishAsync(port, MqttTopics.NodeStatus("edge-ext"), System.Text.Json.JsonSerializer.Serialize(Payloads.NodeStatus("edge-ext"), Models.Contracts.ContractJsonContext.Default.NodeStatusMessage), ct, retain: true);
        await MosquittoCli.PublishAsync(port, MqttTopics.Telemetry("bus-ext-1"), "{\"schemaVersion\":1,\"deviceId\":\"bus-ext-1\"", ct);

        var device = await Eventually.GetAsync(() => silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/bus-ext-1", ct), d => d is not null, "the device via Mosquitto", cancellationToken: ct);
        Assert.Equal(1, device!.AcceptedReports);
        var node = await Eventually.GetAsync(() => silo.GetOrDefaultAsync<EdgeNodeSnapshot>("/api/nodes/edge-ext", ct), n => n is not null, "the node via Mosquitto", cancellationToken: ct);
        Assert.True(node!.Online);
        var stats = await Eventually.GetAsync(() => silo.GetAsync<IngestionStatistics>("/api/stats", ct), s => s.Rejected == 1, "the malformed message to be counted", cancellationToken: ct);
        Assert.Equal(1, stats.RejectedByReason["malformed-json"]);
        Assert.Equal(2, stats.Accepted);
    }
}
