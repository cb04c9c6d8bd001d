using System.Net;
using System.Net.Http.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Decisions;

/// <summary>The fleet's policy runs on live telemetry in the device grain and starts migrations through the saga.</summary>
[Trait("Category", TestCategories.Saga)]
public sealed class LiveHandoverTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_reactive_fleet_moves_the_service_once_the_neighbour_stays_better_for_the_time_to_trigger()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target) = await ArrangeAsync("rx", new { policy = "reactive", hysteresisMs = 3.0, timeToTriggerSeconds = 2.0 }, ct);
        await using var bus = await TestMqttClient.ConnectAsync(Silo.MqttPort, "bus-rx", cancellationToken: ct);
        var start = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        (double Source, double Target)[] rtts = [(5, 20), (10, 6), (12, 6), (12, 6)];

        for (var i = 0; i < rtts.Length; i++)
        {
            await bus.PublishAsync(MqttTopics.Telemetry("bus-rx"), Payloads.Telemetry("bus-rx", sequence: i + 1, at: start.AddSeconds(i), servingSite: source.NodeId,
                rttMs: new Dictionary<string, double> { [source.NodeId] = rtts[i].Source, [target.NodeId] = rtts[i].Target }), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);
            if (i == rtts.Length - 2)
            {
                // Better by more than the margin, but not yet for the time-to-trigger: nothing may have started.
                await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/bus-rx", ct), d => d?.LastSequence == i + 1, "the report before the trigger", cancellationToken: ct);
                Assert.Null((await Silo.GetAsync<ServiceSnapshot>("/api/services/svc-rx", ct)).ActiveMigrationId);
            }
        }

        var command = await target.NextCommandAsync(ct);
        Assert.Equal((NodeCommandKind.Migrate, MigrationRole.Target, source.NodeId), (command.Kind, command.Role!.Value, command.PeerNodeId));
        var migration = await Silo.GetAsync<MigrationSnapshot>($"/api/migrations/{command.MigrationId}", ct);
        Assert.StartsWith("reactive: site rx-dst expected better than rx-src", migration.Plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fleet_on_never_does_not_move_however_bad_the_latency()
    {
        var ct = TestContext.Current.CancellationToken;
        await ArrangeAsync("nv", new { policy = "never" }, ct);
        await using var bus = await TestMqttClient.ConnectAsync(Silo.MqttPort, "bus-nv", cancellationToken: ct);
        var start = TimeProvider.System.GetUtcNow().AddMinutes(-1);

        for (var i = 0; i < 5; i++)
        {
            await bus.PublishAsync(MqttTopics.Telemetry("bus-nv"), Payloads.Telemetry("bus-nv", sequence: i + 1, at: start.AddSeconds(i * 5),
                rttMs: new Dictionary<string, double> { ["nv-src"] = 90, ["nv-dst"] = 3 }), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);
        }

        await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<DeviceSnapshot>("/api/devices/bus-nv", ct), d => d?.LastSequence == 5, "all reports", cancellationToken: ct);
        var service = await Silo.GetAsync<ServiceSnapshot>("/api/services/svc-nv", ct);
        Assert.Equal(("nv-src", (string?)null), (service.NodeId, service.LastMigrationId ?? service.ActiveMigrationId));
    }

    [Theory]
    [InlineData("greedy-oracle")]
    [InlineData("optimum")]
    public async Task A_policy_that_knows_the_future_cannot_be_set_for_a_live_fleet(string policy)
    {
        var ct = TestContext.Current.CancellationToken;

        var response = await Silo.Http.PutAsJsonAsync("/api/policies/live-oracle", new { policy }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("simulation only", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    private async Task<(ScriptedAgent Source, ScriptedAgent Target)> ArrangeAsync(string name, object policy, CancellationToken ct)
    {
        var source = await ScriptedAgent.StartAsync(Silo.MqttPort, $"{name}-src", CpuArchitecture.X64, 7821, ct);
        var target = await ScriptedAgent.StartAsync(Silo.MqttPort, $"{name}-dst", CpuArchitecture.X64, 7822, ct);
        await Eventually.GetAsync(() => Silo.GetAsync<List<EdgeNodeSnapshot>>("/api/nodes", ct), n => n.Count(x => x.NodeId.StartsWith(name, StringComparison.Ordinal)) == 2, "both nodes", cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PutAsJsonAsync($"/api/policies/fleet-{name}", policy, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Silo.Http.PostAsJsonAsync("/api/services", new { serviceId = $"svc-{name}", engine = "container", workload = "counter", nodeId = source.NodeId, deviceId = $"bus-{name}", fleetId = $"fleet-{name}" }, ct)).StatusCode);
        return (source, target);
    }
}
