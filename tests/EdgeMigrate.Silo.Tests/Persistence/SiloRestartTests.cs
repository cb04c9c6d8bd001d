using System.Net;
using System.Net.Http.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Persistence;

/// <summary>The embedded store keeps nodes, services, migrations, policies and devices across a silo restart.</summary>
[Trait("Category", TestCategories.Persistence)]
public sealed class SiloRestartTests
{
    [Fact]
    public async Task State_written_before_a_restart_is_there_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDir = Directory.CreateTempSubdirectory("edgemigrate-restart-").FullName;
        MigrationSnapshot migration;
        FleetPolicySnapshot policy;

        await using (var silo = await TestSilo.StartAsync(dataDir, cancellationToken: ct))
        {
            await using var source = await ScriptedAgent.StartAsync(silo.MqttPort, "keep-src", CpuArchitecture.X64, 7811, ct);
            await using var target = await ScriptedAgent.StartAsync(silo.MqttPort, "keep-dst", CpuArchitecture.X64, 7812, ct);
            await using var bus = await TestMqttClient.ConnectAsync(silo.MqttPort, "keep-device", cancellationToken: ct);
            await bus.PublishAsync(MqttTopics.Telemetry("keep-bus"), Payloads.Telemetry("keep-bus", lat: 40.61, sequence: 7), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);
            await Eventually.GetAsync(() => silo.GetAsync<List<EdgeNodeSnapshot>>("/api/nodes", ct), n => n.Count == 2, "both nodes", cancellationToken: ct);
            await Eventually.GetAsync(() => silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/keep-bus", ct), d => d is not null, "the device", cancellationToken: ct);

            Assert.Equal(HttpStatusCode.Created, (await silo.Http.PostAsJsonAsync("/api/services", new { serviceId = "svc-keep", engine = "wasm", workload = "kv.wasm", nodeId = "keep-src", deviceId = "keep-bus", fleetId = "buses" }, ct)).StatusCode);
            var put = await silo.Http.PutAsJsonAsync("/api/policies/buses", new { policy = "distance", distanceThresholdMetres = 350.0, slaLatencyMs = 25.0 }, ct);
            policy = (await put.Content.ReadFromJsonAsync<FleetPolicySnapshot>(TestSilo.Json, ct))!;
            var started = await silo.Http.PostAsJsonAsync("/api/services/svc-keep/migrate", new { targetNodeId = "keep-dst" }, ct);
            migration = (await started.Content.ReadFromJsonAsync<MigrationSnapshot>(TestSilo.Json, ct))!;
            await source.ReportAsync(migration.MigrationId, MigrationEventPhase.Round, ct, round: 1, bytes: 4096);
            migration = await Eventually.GetAsync(() => silo.GetAsync<MigrationSnapshot>($"/api/migrations/{migration.MigrationId}", ct), m => m.State == MigrationState.PreCopy, "pre-copy", cancellationToken: ct);
        }

        await using var restarted = await TestSilo.StartAsync(dataDir, cancellationToken: ct);

        var nodes = await restarted.GetAsync<List<EdgeNodeSnapshot>>("/api/nodes", ct);
        Assert.Equal(["keep-dst", "keep-src"], nodes.Select(n => n.NodeId).Order(StringComparer.Ordinal));
        var service = await restarted.GetAsync<ServiceSnapshot>("/api/services/svc-keep", ct);
        Assert.Equal(("keep-src", migration.MigrationId, "keep-bus"), (service.NodeId, service.ActiveMigrationId, service.Spec.DeviceId));
        var after = await restarted.GetAsync<MigrationSnapshot>($"/api/migrations/{migration.MigrationId}", ct);
        Assert.Equal((MigrationState.PreCopy, 4096L, migration.History.Count), (after.State, after.BytesSent, after.History.Count));
        Assert.Equal(policy, await restarted.GetAsync<FleetPolicySnapshot>("/api/policies/buses", ct));
        var device = await restarted.GetAsync<DeviceSnapshot>("/api/devices/keep-bus", ct);
        Assert.Equal((40.61, 7L, "svc-keep"), (device.Position.Lat, device.LastSequence!.Value, device.ServiceId));
    }
}
