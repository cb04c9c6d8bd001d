using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMigrate.EdgeAgent.Tests.Infrastructure;

namespace EdgeMigrate.EdgeAgent.Tests.Netns;

/// <summary>
/// The deployment shape, on one host: each agent is the built <c>edgemigrate-agent</c> running as a child process
/// in its own network namespace; the agents talk over a veth shaped by tbf to 100 Mbit/s (scripts/netns-link.sh);
/// the silo runs in this process on the host and its embedded broker (all interfaces) is reached over an
/// unshaped host leg into each namespace. Faults are real: the shaped veth is taken down, the target agent is
/// SIGKILLed. A <see cref="CounterProbe"/> watches the workload's counter the way a client would.
/// </summary>
[Trait("Category", TestCategories.Netns)]
public sealed class NamespacedMigrationTests : IAsyncLifetime
{
    private const string ServiceId = "svc-counter";
    private const int MemoryMiB = 64;
    private const double DirtyMiBPerSecond = 2;
    private const long MiB = 1024 * 1024;

    // Fixed port inside the test's own namespaces: nothing else can listen there.
    private const int TransferPort = 7701;

    private NetnsLink _link = null!;
    private TestSilo _silo = null!;
    private AgentProcess _a = null!;
    private AgentProcess _b = null!;
    private CounterProbe _probe = null!;
    private string _root = null!;
    private string _nodeA = null!;
    private string _nodeB = null!;

    public async ValueTask InitializeAsync()
    {
        HostTools.RequireContainerTooling();
        try
        {
            await StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // xUnit does not dispose a class whose initialisation failed: clean up here, then fail.
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken ct)
    {
        _root = Directory.CreateTempSubdirectory("em-netns-").FullName;
        var bundle = await CounterBundle.CreateAsync(Path.Combine(_root, "bundle"), MemoryMiB, DirtyMiBPerSecond, ct);
        _link = await NetnsLink.CreateAsync(cancellationToken: ct);
        _silo = await TestSilo.StartAsync(cancellationToken: ct);
        // Node ids unique to this link: each node gets its own cgroup subtree, which must not collide with a parallel test's.
        _nodeA = $"{_link.Name}-a";
        _nodeB = $"{_link.Name}-b";
        _a = AgentProcess.Start(_nodeA, _link.NamespaceA, $"mqtt://{_link.HostA}:{_silo.MqttPort}", $"{_link.LinkA}:{TransferPort}", _root, [$"{ServiceId}={bundle}"]);
        _b = AgentProcess.Start(_nodeB, _link.NamespaceB, $"mqtt://{_link.HostB}:{_silo.MqttPort}", $"{_link.LinkB}:{TransferPort}", _root);
        await WaitOnlineAsync(_a, $"{_link.LinkA}:{TransferPort}", ct);
        await WaitOnlineAsync(_b, $"{_link.LinkB}:{TransferPort}", ct);
        using var created = await _silo.Http.PostAsJsonAsync("/api/services", new { serviceId = ServiceId, engine = "container", workload = "counter", nodeId = _nodeA, memoryMiB = MemoryMiB }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        _probe = new CounterProbe(_a.StateFileOf(ServiceId), _b.StateFileOf(ServiceId));
        await Eventually.GetAsync(() => Task.FromResult(_probe.Counter), c => c > 3, "the counter to run on the source", TimeSpan.FromSeconds(30), ct);
    }

    public async ValueTask DisposeAsync()
    {
        // Each part on its own, so one failure never leaks a process, container, namespace or directory.
        foreach (var part in new Func<ValueTask>[]
        {
            () => _probe?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _a?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _b?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _silo?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _link?.DisposeAsync() ?? ValueTask.CompletedTask,
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

        if (_root is not null && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Pre_copy_over_the_shaped_link_keeps_the_state_and_the_pause_is_measured_by_a_client()
    {
        var ct = TestContext.Current.CancellationToken;
        var txBefore = await _link.TxBytesAsync('a', ct);
        var before = _probe.Counter;
        _probe.Reset();

        var migration = await MigrateAsync("pre-copy", ct);

        Assert.Equal("committed", migration.GetProperty("state").GetString());
        var wire = await _link.TxBytesAsync('a', ct) - txBefore;
        Assert.True(wire >= MemoryMiB * MiB, $"only {wire} B crossed the shaped veth: the transfer must go over the namespaces' link");
        var resumed = await WaitCounterAsync(before + 5, ct);
        Assert.True(File.Exists(_b.StateFileOf(ServiceId)) && !File.Exists(_a.StateFileOf(ServiceId)), "the service must run on edge-b only, with the source copy removed");
        Assert.Null(_probe.Corrupt);
        var service = await _silo.GetAsync<JsonElement>($"/api/services/{ServiceId}", ct);
        Assert.Equal(_nodeB, service.GetProperty("nodeId").GetString());
        var downtimeMs = migration.GetProperty("downtimeMs").GetDouble();
        Report($"pre-copy {MemoryMiB} MiB @ {DirtyMiBPerSecond} MiB/s over {_link.Rate}: {migration.GetProperty("rounds").GetInt32()} live rounds, {wire} B on the shaped veth, " +
            $"target-measured downtime {downtimeMs:0} ms, client-observed longest pause {_probe.LongestGap.TotalMilliseconds:0} ms (includes one 100 ms tick); " +
            $"all client pauses > 200 ms: [{string.Join(", ", _probe.PausesLongerThan(TimeSpan.FromMilliseconds(200)).Select(p => p.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)))}] ms; counter {before} → {resumed}");
        Assert.True(_probe.LongestGap.TotalMilliseconds >= downtimeMs * 0.5, "the client must see the pause the target reports");
    }

    [Fact]
    public async Task Cutting_the_link_mid_transfer_resumes_or_rolls_back_and_no_state_is_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        var txBefore = await _link.TxBytesAsync('a', ct);
        var before = _probe.Counter;
        var id = await StartMigrationAsync("pre-copy", ct);

        // Cut the shaped veth once a third of the image is on the wire; 12 s down outlasts the sender's 10 s write stall,
        // so the attempt fails and the transfer pipeline reconnects (refused while down) until the link is back.
        await Eventually.GetAsync(() => _link.TxBytesAsync('a', ct), tx => tx - txBefore > MemoryMiB * MiB / 3, "a third of the image on the wire", TimeSpan.FromSeconds(60), ct);
        await _link.SetLinkAsync('a', up: false, ct);
        await Task.Delay(TimeSpan.FromSeconds(12), ct);
        await _link.SetLinkAsync('a', up: true, ct);

        var migration = await WaitMigrationAsync(id, ["committed", "rolled-back", "failed"], ct);
        var state = migration.GetProperty("state").GetString();
        Assert.True(state is "committed" or "rolled-back", $"a cut link must end committed (resumed) or rolled-back, not {state}: {migration}\nsource:\n{_a.Tail()}");
        var host = state == "committed" ? _b : _a;
        var after = await WaitCounterAsync(before + 5, ct);
        Assert.True(File.Exists(host.StateFileOf(ServiceId)));
        Assert.Null(_probe.Corrupt);
        var service = await _silo.GetAsync<JsonElement>($"/api/services/{ServiceId}", ct);
        Assert.Equal(host.NodeId, service.GetProperty("nodeId").GetString());
        var sourceLog = File.ReadAllLines(_a.LogPath);
        var connections = sourceLog.Count(l => l.Contains(": connected to ", StringComparison.Ordinal));
        var resumes = sourceLog.Where(l => l.Contains("resuming round", StringComparison.Ordinal)).Select(l => l[l.IndexOf("resuming", StringComparison.Ordinal)..]);
        Report($"link cut 12 s after {MemoryMiB / 3} MiB of round 1 → {state} on {host.NodeId}; {connections} transfer connections; {string.Join("; ", resumes)}; " +
            $"counter {before} → {after}; longest client pause {_probe.LongestGap.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Sigkill_of_the_target_agent_mid_transfer_rolls_back_and_the_source_keeps_its_state()
    {
        var ct = TestContext.Current.CancellationToken;
        var txBefore = await _link.TxBytesAsync('a', ct);
        var id = await StartMigrationAsync("pre-copy", ct);

        await Eventually.GetAsync(() => _link.TxBytesAsync('a', ct), tx => tx - txBefore > MemoryMiB * MiB / 3, "a third of the image on the wire", TimeSpan.FromSeconds(60), ct);
        var before = _probe.Counter;
        _b.Kill();

        var migration = await WaitMigrationAsync(id, ["rolled-back", "failed", "committed"], ct);
        Assert.True(migration.GetProperty("state").GetString() == "rolled-back", $"expected rolled-back: {migration}\nsource:\n{_a.Tail()}");
        var node = await _silo.GetAsync<JsonElement>($"/api/nodes/{_nodeB}", ct);
        Assert.False(node.GetProperty("online").GetBoolean()); // the broker published edge-b's last-will
        var after = await WaitCounterAsync(before + 10, ct);
        Assert.True(File.Exists(_a.StateFileOf(ServiceId)));
        Assert.Null(_probe.Corrupt);
        var service = await _silo.GetAsync<JsonElement>($"/api/services/{ServiceId}", ct);
        Assert.Equal(_nodeA, service.GetProperty("nodeId").GetString());
        Report($"target SIGKILLed (pid {_b.Pid}) at 1/3 of round 1 → {migration.GetProperty("state").GetString()} ({migration.GetProperty("error").GetString()}); " +
            $"source counter {before} → {after}, longest client pause {_probe.LongestGap.TotalMilliseconds:0} ms");
    }

    private async Task<string> StartMigrationAsync(string mode, CancellationToken ct)
    {
        _probe.Reset();
        using var response = await _silo.Http.PostAsJsonAsync($"/api/services/{ServiceId}/migrate", new { targetNodeId = _nodeB, mode, reason = "netns test" }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"migrate answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("plan").GetProperty("migrationId").GetString()!;
    }

    private async Task<JsonElement> MigrateAsync(string mode, CancellationToken ct) =>
        await WaitMigrationAsync(await StartMigrationAsync(mode, ct), ["committed", "rolled-back", "failed"], ct);

    private async Task<JsonElement> WaitMigrationAsync(string id, string[] terminal, CancellationToken ct)
    {
        var result = await Eventually.GetAsync(
            () => _silo.GetAsync<JsonElement>($"/api/migrations/{id}", ct),
            m => terminal.Contains(m.GetProperty("state").GetString()),
            $"migration {id} to end",
            TimeSpan.FromSeconds(150),
            ct);
        TestContext.Current.SendDiagnosticMessage($"migration {id}: {result}");
        return result;
    }

    private async Task<long> WaitCounterAsync(long above, CancellationToken ct) =>
        await Eventually.GetAsync(() => Task.FromResult(_probe.Counter), c => c > above, $"the counter to pass {above}", TimeSpan.FromSeconds(30), ct);

    private async Task WaitOnlineAsync(AgentProcess agent, string endpoint, CancellationToken ct)
    {
        try
        {
            await Eventually.GetAsync(
                () => _silo.GetOrDefaultAsync<JsonObject>($"/api/nodes/{agent.NodeId}", ct),
                n => n?["online"]?.GetValue<bool>() == true && n["transferEndpoint"]?.GetValue<string>() == endpoint,
                $"{agent.NodeId} online at {endpoint}",
                TimeSpan.FromSeconds(60),
                ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nagent output:\n{agent.Tail()}", ex);
        }
    }

    private static void Report(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[netns] {line}"));
    }
}
