using System.Net;
using System.Net.Http.Json;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Saga;

/// <summary>
/// The migration saga through the operator API and the real broker, with scripted agents on the other end.
/// Time-outs are driven by the grains' fake clock.
/// </summary>
[Trait("Category", TestCategories.Saga)]
public sealed class MigrationSagaTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_pre_copy_migration_goes_requested_precopy_final_restored_committed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("happy", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        await using var endpoints = await TestMqttClient.ConnectAsync(Silo.MqttPort, "device-happy", cancellationToken: ct);
        await endpoints.SubscribeAsync(MqttTopics.ServiceEndpoint(serviceId), ct);
        var initial = await EndpointAsync(endpoints, serviceId, ct);
        Assert.Equal(source.NodeId, initial.NodeId);

        var migration = await MigrateAsync(serviceId, target.NodeId, MigrationMode.PreCopy, ct);
        Assert.Equal(MigrationState.Requested, migration.State);

        var toTarget = await target.NextCommandAsync(ct);
        var toSource = await source.NextCommandAsync(ct);
        Assert.Equal((NodeCommandKind.Migrate, MigrationRole.Target, source.NodeId, "127.0.0.1:7801"), (toTarget.Kind, toTarget.Role!.Value, toTarget.PeerNodeId, toTarget.PeerEndpoint));
        Assert.Equal((NodeCommandKind.Migrate, MigrationRole.Source, target.NodeId, "127.0.0.1:7802"), (toSource.Kind, toSource.Role!.Value, toSource.PeerNodeId, toSource.PeerEndpoint));
        Assert.Equal(toSource.Token, toTarget.Token);
        Assert.StartsWith("v1.", toSource.Token, StringComparison.Ordinal);

        var id = migration.MigrationId;
        await target.ReportAsync(id, MigrationEventPhase.Accepted, ct);
        await source.ReportAsync(id, MigrationEventPhase.Round, ct, round: 1, bytes: 64_000_000);
        await source.ReportAsync(id, MigrationEventPhase.Round, ct, round: 2, bytes: 8_000_000);
        await WaitForStateAsync(id, MigrationState.PreCopy, m => m.Rounds == 2, ct);
        await source.ReportAsync(id, MigrationEventPhase.Final, ct, bytes: 1_000_000);
        await WaitForStateAsync(id, MigrationState.Final, null, ct);
        await target.ReportAsync(id, MigrationEventPhase.Restored, ct, downtimeMs: 87.5);

        var commit = await source.NextCommandAsync(ct);
        Assert.Equal(NodeCommandKind.Commit, commit.Kind);
        var moved = await EndpointAsync(endpoints, serviceId, ct);
        Assert.Equal((target.NodeId, id), (moved.NodeId, moved.MigrationId));

        await source.ReportAsync(id, MigrationEventPhase.Committed, ct);
        var done = await WaitForStateAsync(id, MigrationState.Committed, null, ct);
        Assert.Equal(73_000_000, done.BytesSent);
        Assert.Equal(87.5, done.DowntimeMs);
        Assert.Equal(
            [MigrationState.Requested, MigrationState.Requested, MigrationState.PreCopy, MigrationState.PreCopy, MigrationState.Final, MigrationState.Restored, MigrationState.Committed],
            done.History.Select(h => h.State));

        var service = await Silo.GetAsync<ServiceSnapshot>($"/api/services/{serviceId}", ct);
        Assert.Equal((target.NodeId, (string?)null, 1), (service.NodeId, service.ActiveMigrationId, service.CompletedMigrations));
        var sourceNode = await Silo.GetAsync<EdgeNodeSnapshot>($"/api/nodes/{source.NodeId}", ct);
        Assert.Empty(sourceNode.ActiveMigrations);
    }

    [Fact]
    public async Task A_target_failure_rolls_back_aborts_both_agents_and_the_service_stays()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("fail", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        var migration = await MigrateAsync(serviceId, target.NodeId, MigrationMode.StopAndCopy, ct);
        await target.NextCommandAsync(ct);
        await source.NextCommandAsync(ct);

        await target.ReportAsync(migration.MigrationId, MigrationEventPhase.Failed, ct, error: "restore failed: no space left");

        var rolledBack = await WaitForStateAsync(migration.MigrationId, MigrationState.RolledBack, null, ct);
        Assert.Contains("no space left", rolledBack.Error, StringComparison.Ordinal);
        Assert.Equal(NodeCommandKind.Abort, (await target.NextCommandAsync(ct)).Kind);
        Assert.Equal(NodeCommandKind.Abort, (await source.NextCommandAsync(ct)).Kind);
        var service = await Silo.GetAsync<ServiceSnapshot>($"/api/services/{serviceId}", ct);
        Assert.Equal((source.NodeId, (string?)null, 0), (service.NodeId, service.ActiveMigrationId, service.CompletedMigrations));
    }

    [Fact]
    public async Task Silent_agents_time_out_and_the_saga_rolls_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("silent", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        var migration = await MigrateAsync(serviceId, target.NodeId, MigrationMode.PreCopy, ct);
        await target.NextCommandAsync(ct);
        await source.NextCommandAsync(ct);

        Silo.GrainClock.Advance(TimeSpan.FromSeconds(29));
        var still = await Silo.GetAsync<MigrationSnapshot>($"/api/migrations/{migration.MigrationId}", ct);
        Assert.Equal(MigrationState.Requested, still.State);

        Silo.GrainClock.Advance(TimeSpan.FromSeconds(2));
        var rolledBack = await WaitForStateAsync(migration.MigrationId, MigrationState.RolledBack, null, ct);
        Assert.Contains("timed out", rolledBack.Error, StringComparison.Ordinal);
        Assert.Equal(NodeCommandKind.Abort, (await source.NextCommandAsync(ct)).Kind);
    }

    [Fact]
    public async Task Losing_the_target_agent_mid_pre_copy_rolls_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("loss", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        var migration = await MigrateAsync(serviceId, target.NodeId, MigrationMode.PreCopy, ct);
        await target.NextCommandAsync(ct);
        await source.NextCommandAsync(ct);
        await source.ReportAsync(migration.MigrationId, MigrationEventPhase.Round, ct, round: 1, bytes: 1000);
        await WaitForStateAsync(migration.MigrationId, MigrationState.PreCopy, null, ct);

        target.Crash();

        var rolledBack = await WaitForStateAsync(migration.MigrationId, MigrationState.RolledBack, null, ct);
        Assert.Contains($"target agent {target.NodeId} went offline", rolledBack.Error, StringComparison.Ordinal);
        Assert.Equal(NodeCommandKind.Abort, (await source.NextCommandAsync(ct)).Kind);
        Assert.Equal(source.NodeId, (await Silo.GetAsync<ServiceSnapshot>($"/api/services/{serviceId}", ct)).NodeId);
    }

    [Fact]
    public async Task A_source_that_rolls_back_by_itself_makes_the_target_drop_what_it_staged()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("selfrb", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        var migration = await MigrateAsync(serviceId, target.NodeId, MigrationMode.PreCopy, ct);
        await target.NextCommandAsync(ct);
        await source.NextCommandAsync(ct);

        await source.ReportAsync(migration.MigrationId, MigrationEventPhase.RolledBack, ct, error: "checkpoint failed: no space");

        var rolledBack = await WaitForStateAsync(migration.MigrationId, MigrationState.RolledBack, null, ct);
        Assert.Equal("checkpoint failed: no space", rolledBack.Error);
        var abort = await target.NextCommandAsync(ct);
        Assert.Equal((NodeCommandKind.Abort, migration.MigrationId), (abort.Kind, abort.MigrationId));
    }

    [Fact]
    public async Task Pre_copy_limits_from_the_request_reach_both_agents_and_bad_ones_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("limits", CpuArchitecture.X64, CpuArchitecture.X64, ct);

        var bad = await Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = target.NodeId, limits = new { maxRounds = 0 } }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var ok = await Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = target.NodeId, limits = new { maxRounds = 3, stopThresholdBytes = 1_000_000, maxMbps = 50.0 } }, ct);
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        var expected = new MigrationLimits { MaxRounds = 3, StopThresholdBytes = 1_000_000, MaxMbps = 50 };
        Assert.Equal(expected, (await target.NextCommandAsync(ct)).Limits);
        Assert.Equal(expected, (await source.NextCommandAsync(ct)).Limits);
    }

    [Fact]
    public async Task Events_from_a_stranger_or_out_of_order_change_nothing_and_are_counted()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, target, serviceId) = await ArrangeAsync("order", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        await using var stranger = await ScriptedAgent.StartAsync(Silo.MqttPort, "order-stranger", CpuArchitecture.X64, 7899, ct);
        var migration = await MigrateAsync(serviceId, target.NodeId, MigrationMode.PreCopy, ct);

        await stranger.ReportAsync(migration.MigrationId, MigrationEventPhase.Restored, ct);
        await source.ReportAsync(migration.MigrationId, MigrationEventPhase.Committed, ct);
        await target.ReportAsync(migration.MigrationId, MigrationEventPhase.Round, ct, round: 1);

        var unchanged = await Eventually.GetAsync(() => Silo.GetAsync<MigrationSnapshot>($"/api/migrations/{migration.MigrationId}", ct), m => m.IgnoredEvents == 3, "three ignored events", cancellationToken: ct);
        Assert.Equal(MigrationState.Requested, unchanged.State);
        Assert.Equal(source.NodeId, (await Silo.GetAsync<ServiceSnapshot>($"/api/services/{serviceId}", ct)).NodeId);
    }

    [Fact]
    public async Task Requests_that_cannot_be_honoured_are_refused_with_a_reason_and_start_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, target, serviceId) = await ArrangeAsync("refuse", CpuArchitecture.X64, CpuArchitecture.Arm64, ct);

        var crossIsa = await Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = target.NodeId }, ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossIsa.StatusCode);
        Assert.Contains("cannot restore on arm64", await crossIsa.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        var unknownNode = await Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = "edge-nowhere" }, ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownNode.StatusCode);
        Assert.Equal("application/problem+json", unknownNode.Content.Headers.ContentType?.MediaType);

        var unknownService = await Silo.Http.PostAsJsonAsync("/api/services/no-such-service/migrate", new { targetNodeId = target.NodeId }, ct);
        Assert.Equal(HttpStatusCode.NotFound, unknownService.StatusCode);

        var service = await Silo.GetAsync<ServiceSnapshot>($"/api/services/{serviceId}", ct);
        Assert.Null(service.ActiveMigrationId);
        Assert.Null(service.LastMigrationId);
    }

    [Fact]
    public async Task A_second_migration_while_one_runs_is_a_conflict()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, target, serviceId) = await ArrangeAsync("twice", CpuArchitecture.X64, CpuArchitecture.X64, ct);
        await MigrateAsync(serviceId, target.NodeId, MigrationMode.PreCopy, ct);

        var again = await Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = target.NodeId }, ct);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    private async Task<(ScriptedAgent Source, ScriptedAgent Target, string ServiceId)> ArrangeAsync(string name, CpuArchitecture sourceArch, CpuArchitecture targetArch, CancellationToken ct)
    {
        var source = await ScriptedAgent.StartAsync(Silo.MqttPort, $"{name}-src", sourceArch, 7801, ct);
        var target = await ScriptedAgent.StartAsync(Silo.MqttPort, $"{name}-dst", targetArch, 7802, ct);
        await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<EdgeNodeSnapshot>($"/api/nodes/{target.NodeId}", ct), n => n is not null, "the target to register", cancellationToken: ct);
        await Eventually.GetAsync(() => Silo.GetOrDefaultAsync<EdgeNodeSnapshot>($"/api/nodes/{source.NodeId}", ct), n => n is not null, "the source to register", cancellationToken: ct);
        var serviceId = $"svc-{name}";
        var created = await Silo.Http.PostAsJsonAsync("/api/services", new { serviceId, engine = "container", workload = "counter", nodeId = source.NodeId, memoryMiB = 64 }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (source, target, serviceId);
    }

    private async Task<MigrationSnapshot> MigrateAsync(string serviceId, string targetNodeId, MigrationMode mode, CancellationToken ct)
    {
        var response = await Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId, mode = mode == MigrationMode.PreCopy ? "pre-copy" : "stop-and-copy" }, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<MigrationSnapshot>(TestSilo.Json, ct))!;
    }

    private Task<MigrationSnapshot> WaitForStateAsync(string migrationId, MigrationState state, Func<MigrationSnapshot, bool>? also, CancellationToken ct) =>
        Eventually.GetAsync(() => Silo.GetAsync<MigrationSnapshot>($"/api/migrations/{migrationId}", ct), m => m.State == state && (also?.Invoke(m) ?? true), $"migration {migrationId} to reach {state}", cancellationToken: ct);

    private static async Task<ServiceEndpointMessage> EndpointAsync(TestMqttClient client, string serviceId, CancellationToken ct)
    {
        var (_, payload) = await client.NextAsync(MqttTopics.ServiceEndpoint(serviceId), cancellationToken: ct);
        return System.Text.Json.JsonSerializer.Deserialize(payload, ContractJsonContext.Default.ServiceEndpointMessage)!;
    }
}
