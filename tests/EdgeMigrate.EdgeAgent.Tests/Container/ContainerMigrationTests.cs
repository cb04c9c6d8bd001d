using System.Net.Http.Json;
using System.Text.Json;
using EdgeMigrate.EdgeAgent.Tests.Infrastructure;
using EdgeMigrate.EdgeAgent.Transfer;

namespace EdgeMigrate.EdgeAgent.Tests.Container;

/// <summary>
/// End to end over loopback: the real silo (API, saga, embedded broker), two real agents in this process, a real
/// runc container with a stateful workload checkpointed and restored by CRIU. The workload's counter must
/// continue on the target (not restart) and its memory self-check must pass after every migration.
/// </summary>
[Trait("Category", TestCategories.Container)]
public sealed class ContainerMigrationTests : IAsyncLifetime
{
    private const string ServiceId = "svc-counter";
    private TestSilo _silo = null!;
    private TestAgent _a = null!;
    private TestAgent _b = null!;
    private string _root = null!;

    public async ValueTask InitializeAsync()
    {
        HostTools.RequireContainerTooling();
        var ct = TestContext.Current.CancellationToken;
        _root = Directory.CreateTempSubdirectory("em-agents-").FullName;
        var bundle = await CounterBundle.CreateAsync(Path.Combine(_root, "bundle"), memoryMiB: 32, dirtyMiBPerSecond: 2, ct);
        _silo = await TestSilo.StartAsync(cancellationToken: ct);
        _a = await TestAgent.StartAsync("edge-a", _silo.MqttPort, _root, [$"{ServiceId}={bundle}"], ct);
        _b = await TestAgent.StartAsync("edge-b", _silo.MqttPort, _root, cancellationToken: ct);
        await WaitOnlineAsync("edge-a", ct);
        await WaitOnlineAsync("edge-b", ct);
        using var created = await _silo.Http.PostAsJsonAsync("/api/services", new { serviceId = ServiceId, engine = "container", workload = "counter", nodeId = "edge-a", memoryMiB = 32 }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        await WaitCounterAsync(_a, above: 3, ct);
    }

    public async ValueTask DisposeAsync()
    {
        // Each part on its own, so a failure in one never leaks the other agent's containers.
        foreach (var part in new Func<ValueTask>[]
        {
            () => _a?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _b?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _silo?.DisposeAsync() ?? ValueTask.CompletedTask,
        })
        {
            try
            {
                await part();
            }
            catch (Exception ex)
            {
                TestContext.Current.SendDiagnosticMessage($"clean-up: {ex.Message}");
            }
        }

        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("pre-copy")]
    [InlineData("stop-and-copy")]
    public async Task Service_moves_with_its_state_and_comes_back(string mode)
    {
        var ct = TestContext.Current.CancellationToken;

        var there = await MigrateAsync("edge-b", mode, ct);
        Assert.Equal("committed", there.GetProperty("state").GetString());
        var before = CounterBundle.Read(_a.BundleOf(ServiceId));
        Assert.Null(await _a.Containers.StatusAsync(ServiceId, ct)); // the source removed its copy after the commit
        var onB = await WaitCounterAsync(_b, above: 3, ct);
        Assert.Equal("ok", onB.Check);
        Assert.True(there.GetProperty("downtimeMs").GetDouble() > 0);

        // And back: the bundle is already on edge-a? No — the source removed it on commit, so it travels again.
        var back = await MigrateAsync("edge-a", mode, ct);
        Assert.Equal("committed", back.GetProperty("state").GetString());
        var lastOnB = CounterBundle.Read(_b.BundleOf(ServiceId));
        var onA = await WaitCounterAsync(_a, above: lastOnB?.Counter ?? 0, ct);
        Assert.Equal("ok", onA.Check);
        Assert.True(onA.Counter > onB.Counter, $"counter went {onB.Counter} on edge-b, then {onA.Counter} on edge-a: it must continue, not restart");
        Assert.Null(before); // edge-a's copy of the bundle was removed with the container
    }

    [Fact]
    public async Task Cut_connection_and_corrupted_chunk_during_pre_copy_are_repaired_and_the_state_survives()
    {
        var ct = TestContext.Current.CancellationToken;
        var cut = 0;
        var corrupt = 0;
        _a.Faults.OnSend = h =>
            h.Round == 1 && h.Seq == 40 && Interlocked.Exchange(ref cut, 1) == 0 ? FrameFault.DropConnection
            : h.Round == 1 && h.Seq == 80 && Interlocked.Exchange(ref corrupt, 1) == 0 ? FrameFault.CorruptPayload
            : FrameFault.None;
        var last = CounterBundle.Read(_a.BundleOf(ServiceId))!.Value;

        var migration = await MigrateAsync("edge-b", "pre-copy", ct);

        Assert.Equal("committed", migration.GetProperty("state").GetString());
        Assert.Equal(1, cut);
        Assert.Equal(1, corrupt);
        var onB = await WaitCounterAsync(_b, above: last.Counter, ct);
        Assert.Equal("ok", onB.Check);
    }

    [Fact]
    public async Task Target_agent_dies_mid_transfer_so_the_source_keeps_serving_without_losing_state()
    {
        var ct = TestContext.Current.CancellationToken;
        var killed = new TaskCompletionSource();
        // Slow the sender down at frame 30 of round 1 and stop the target agent meanwhile.
        _a.Faults.OnSend = h =>
        {
            if (h.Round == 1 && h.Seq == 30 && !killed.Task.IsCompleted)
            {
                _ = Task.Run(async () =>
                {
                    await _b.StopAsync();
                    killed.TrySetResult();
                }, ct);
                killed.Task.Wait(ct);
            }

            return FrameFault.None;
        };
        var before = CounterBundle.Read(_a.BundleOf(ServiceId))!.Value;

        var migration = await MigrateAsync("edge-b", "pre-copy", ct, terminal: ["rolled-back", "failed"]);

        Assert.Equal("rolled-back", migration.GetProperty("state").GetString());
        // The source resumes (or never stopped) and keeps counting from where it was.
        await Eventually.GetAsync(() => _a.Containers.StatusAsync(ServiceId, ct), s => s == "running", "the source container running again", cancellationToken: ct);
        var after = await WaitCounterAsync(_a, above: before.Counter + 5, ct);
        Assert.Equal("ok", after.Check);
        var service = await _silo.GetAsync<JsonElement>($"/api/services/{ServiceId}", ct);
        Assert.Equal("edge-a", service.GetProperty("nodeId").GetString());
    }

    private async Task<JsonElement> MigrateAsync(string target, string mode, CancellationToken ct, string[]? terminal = null)
    {
        terminal ??= ["committed", "rolled-back", "failed"];
        using var response = await _silo.Http.PostAsJsonAsync($"/api/services/{ServiceId}/migrate", new { targetNodeId = target, mode, reason = "test" }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"migrate answered {(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("plan").GetProperty("migrationId").GetString()!;
        var result = await Eventually.GetAsync(
            () => _silo.GetAsync<JsonElement>($"/api/migrations/{id}", ct),
            m => terminal.Contains(m.GetProperty("state").GetString()),
            $"migration {id} to end",
            TimeSpan.FromSeconds(180),
            ct);
        TestContext.Current.SendDiagnosticMessage($"{mode} → {target}: {result}");
        return result;
    }

    private async Task WaitOnlineAsync(string nodeId, CancellationToken ct) =>
        await Eventually.GetAsync(
            () => _silo.GetOrDefaultAsync<System.Text.Json.Nodes.JsonObject>($"/api/nodes/{nodeId}", ct),
            n => n?["online"]?.GetValue<bool>() == true && n["transferEndpoint"] is not null,
            $"{nodeId} online with a transfer endpoint",
            cancellationToken: ct);

    private static async Task<(long Counter, string Check)> WaitCounterAsync(TestAgent agent, long above, CancellationToken ct)
    {
        var bundle = agent.BundleOf(ServiceId);
        var value = await Eventually.GetAsync(
            () => Task.FromResult(CounterBundle.Read(bundle)),
            v => v is { } s && s.Counter > above,
            $"the counter on {agent.NodeId} to pass {above}",
            TimeSpan.FromSeconds(30),
            ct);
        return value!.Value;
    }
}
