using System.Net;
using System.Net.Http.Json;
using DotNet.Testcontainers.Containers;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Metrics;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Cluster;

/// <summary>
/// Two silo processes on one machine form one Orleans cluster through Redis (clustering and grain state)
/// and split telemetry from an external Mosquitto through an MQTT shared subscription.
/// </summary>
[Trait("Category", TestCategories.Cluster)]
public sealed class RedisClusterTests : IAsyncLifetime
{
    private const int Devices = 40;
    private const int ReportsPerDevice = 30;
    private readonly IContainer _redis = LocalImages.RedisContainer();
    private readonly IContainer _mosquitto = LocalImages.MosquittoContainer();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await Task.WhenAll(LocalImages.StartAsync(_redis, ct), LocalImages.StartAsync(_mosquitto, ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _mosquitto.DisposeAsync();
    }

    [Fact]
    public async Task Two_silos_share_grains_split_telemetry_and_a_stopped_silo_loses_no_accepted_state()
    {
        var ct = TestContext.Current.CancellationToken;
        var mqttPort = _mosquitto.GetMappedPublicPort(1883);
        var dataDir = Directory.CreateTempSubdirectory("edgemigrate-cluster-").FullName;
        string[] common = ["--redis", $"127.0.0.1:{_redis.GetMappedPublicPort(6379)}", "--mqtt-url", $"mqtt://127.0.0.1:{mqttPort}", "--cluster-id", $"test-{Guid.NewGuid():N}", "--data-dir", dataDir];
        await using var a = await SiloProcess.StartAsync("silo-a", common, ct);
        await using var b = await SiloProcess.StartAsync("silo-b", common, ct);
        await using var devices = await TestMqttClient.ConnectAsync(mqttPort, "cluster-devices", cancellationToken: ct);

        // Grains are reachable from either silo: write through A, read through B.
        await devices.PublishAsync(MqttTopics.NodeStatus("edge-c1"), Payloads.NodeStatus("edge-c1"), ContractJsonContext.Default.NodeStatusMessage, retain: true, ct);
        await Eventually.GetAsync(() => GetOrNullAsync<EdgeNodeSnapshot>(a.Http, "/api/nodes/edge-c1", ct), n => n is not null, "the node via silo A", cancellationToken: ct);
        Assert.Equal(HttpStatusCode.Created, (await a.Http.PostAsJsonAsync("/api/services", new { serviceId = "svc-c1", engine = "container", workload = "counter", nodeId = "edge-c1" }, ct)).StatusCode);
        var viaB = await b.Http.GetFromJsonAsync<ServiceSnapshot>("/api/services/svc-c1", TestSilo.Json, ct);
        Assert.Equal("edge-c1", viaB!.NodeId);

        // A stream of telemetry; B is stopped (SIGTERM) halfway through it.
        for (var seq = 1; seq <= ReportsPerDevice; seq++)
        {
            for (var d = 0; d < Devices; d++)
            {
                await devices.PublishAsync(MqttTopics.Telemetry(DeviceId(d)), Payloads.Telemetry(DeviceId(d), lat: 40 + (seq / 1000.0), sequence: seq), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);
            }

            if (seq == ReportsPerDevice / 3)
            {
                var statsA = await Eventually.GetAsync(() => StatsAsync(a, ct), s => s.AcceptedByKind.GetValueOrDefault("telemetry") > 0, "silo A to take a share", cancellationToken: ct);
                var statsB = await Eventually.GetAsync(() => StatsAsync(b, ct), s => s.AcceptedByKind.GetValueOrDefault("telemetry") > 0, "silo B to take a share", cancellationToken: ct);
                Assert.True(statsA.AcceptedByKind["telemetry"] + statsB.AcceptedByKind["telemetry"] <= Devices * seq);
            }

            if (seq == ReportsPerDevice / 2)
            {
                await b.TerminateAsync(ct);
            }

            await Task.Delay(20, ct);
        }

        Assert.True(b.HasExited);
        for (var d = 0; d < Devices; d++)
        {
            var device = await Eventually.GetAsync(() => GetOrNullAsync<DeviceSnapshot>(a.Http, $"/api/devices/{DeviceId(d)}", ct), s => s?.LastSequence == ReportsPerDevice, $"{DeviceId(d)} to have every report", cancellationToken: ct);
            // Each report counted exactly once, whichever silo delivered it and in whatever order.
            Assert.Equal(ReportsPerDevice, device!.AcceptedReports);
            Assert.Equal((0, 0), (device.DuplicateReports, device.StaleReports));
            Assert.Equal(40 + (ReportsPerDevice / 1000.0), device.Position.Lat, 9);
        }
    }

    private static string DeviceId(int d) => $"bus-cluster-{d:D3}";

    private static async Task<IngestionStatistics> StatsAsync(SiloProcess silo, CancellationToken ct) =>
        (await silo.Http.GetFromJsonAsync<IngestionStatistics>("/api/stats", TestSilo.Json, ct))!;

    private static async Task<T?> GetOrNullAsync<T>(HttpClient http, string path, CancellationToken ct) where T : class
    {
        using var response = await http.GetAsync(path, ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<T>(TestSilo.Json, ct);
    }
}
