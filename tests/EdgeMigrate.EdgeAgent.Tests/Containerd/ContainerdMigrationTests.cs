using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMigrate.EdgeAgent.Engines.Containerd;
using EdgeMigrate.EdgeAgent.Tests.Infrastructure;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;
using CdImages = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Images;
using CdTasks = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Tasks;

namespace EdgeMigrate.EdgeAgent.Tests.Containerd;

/// <summary>
/// The K3s shape on one host: two real containerd 2.1 instances, each with its own root, state, socket and CNI pod
/// network, in the two network namespaces of a 100 Mbit/s tbf link (scripts/netns-link.sh); the built agent of each
/// node as a child process in the same namespace, pointed at its containerd; the silo in this process. A Redis server
/// (the installer's Debian image, AOF in the container's writable layer) is started on node a through CRI as a kubelet
/// would, filled with data, and serves a connected client while the silo's API migrates it. No part is mocked.
/// </summary>
[Trait("Category", TestCategories.Containerd)]
public sealed class ContainerdMigrationTests : IAsyncLifetime
{
    private const string ServiceId = "svc-redis";
    private const int Keys = 20_000;
    private const int TransferPort = 7701;
    private static readonly string Value = new('v', 500);

    private string _root = null!;
    private NetnsLink _link = null!;
    private TestSilo _silo = null!;
    private ContainerdNode _cdA = null!;
    private ContainerdNode _cdB = null!;
    private ContainerdConnection _a = null!;
    private ContainerdConnection _b = null!;
    private AgentProcess _agentA = null!;
    private AgentProcess _agentB = null!;
    private RedisCounterClient? _client;
    private string _containerA = null!;
    private IPAddress _addressA = null!;

    public async ValueTask InitializeAsync()
    {
        HostTools.RequireContainerdTooling();
        try
        {
            await StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var part in new Func<ValueTask>[]
        {
            () => _client?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _agentA?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _agentB?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => { _a?.Dispose(); _b?.Dispose(); return ValueTask.CompletedTask; },
            () => _cdA?.DisposeAsync() ?? ValueTask.CompletedTask,
            () => _cdB?.DisposeAsync() ?? ValueTask.CompletedTask,
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
    public async Task Pre_copy_moves_a_CRI_container_to_the_other_containerd_which_runs_and_stops_it_with_the_data_intact()
    {
        var ct = TestContext.Current.CancellationToken;
        _client = await RedisCounterClient.StartAsync(_link.NamespaceA, _addressA, TimeSpan.FromMilliseconds(20));
        await Eventually.GetAsync(() => Task.FromResult(_client.Acked), n => n > 10, "the client to count on node a", TimeSpan.FromSeconds(30), ct);
        var txBefore = await _link.TxBytesAsync('a', ct);

        var migration = await MigrateAsync("pre-copy", ct);

        Assert.True(migration.GetProperty("state").GetString() == "committed", $"expected committed: {migration}\nsource agent:\n{_agentA.Tail()}\ntarget agent:\n{_agentB.Tail()}");
        var wire = await _link.TxBytesAsync('a', ct) - txBefore;

        // Node a: containerd no longer runs the service (the source copy was stopped and removed at commit).
        Assert.Empty(await CriWorkload.RunningOfAsync(_a, ServiceId, ct));

        // Node b: containerd lists the restored container running, in a pod of its own with a new address.
        var restored = Assert.Single(await CriWorkload.RunningOfAsync(_b, ServiceId, ct));
        var task = (await _b.Tasks.GetAsync(new CdTasks.GetRequest { ContainerId = restored.Id }, _b.Native(ct))).Process;
        Assert.Equal(Engines.Containerd.Api.Types.Status.Running, task.Status);
        var addressB = await CriWorkload.PodAddressAsync(_b, restored.PodSandboxId, ct);

        // The client's connection to the source died with it (tcp-close policy); it reconnects to the new address.
        await Eventually.GetAsync(() => Task.FromResult(_client.EndedBecause), why => why is not null, "the client's connection to the removed source to break", TimeSpan.FromSeconds(30), ct);
        var lastAcked = _client.LastAcked;
        var lastAckedAt = _client.LastAckedAt;
        var pauseBeforeCommit = _client.LongestGap;
        using var redis = await ConnectAsync(_link.NamespaceB, addressB, ct);
        var counter = long.Parse((string)(await redis.CommandAsync(ct, "GET", "counter"))!, CultureInfo.InvariantCulture);
        var reconnectedAfter = TimeProvider.System.GetElapsedTime(lastAckedAt);
        Assert.InRange(counter, lastAcked, lastAcked + 1);
        Assert.Equal((long)Keys + 2, await redis.CommandAsync(ct, "DBSIZE"));
        Assert.Equal("before-migration", await redis.CommandAsync(ct, "GET", "marker"));
        foreach (var i in new[] { 0, 1234, Keys - 1 })
        {
            Assert.Equal(Value + i.ToString(CultureInfo.InvariantCulture), await redis.CommandAsync(ct, "GET", $"key:{i}"));
        }

        // It serves writes, and containerd stops it: SIGTERM, Redis exits 0, containerd sees the exit and the new log lines.
        Assert.Equal(counter + 1, await redis.CommandAsync(ct, "INCR", "counter"));
        await _b.Cri.StopContainerAsync(new Cri.StopContainerRequest { ContainerId = restored.Id, Timeout = 10 }, cancellationToken: ct);
        var stopped = (await _b.Cri.ContainerStatusAsync(new Cri.ContainerStatusRequest { ContainerId = restored.Id }, cancellationToken: ct)).Status;
        Assert.Equal(Cri.ContainerState.ContainerExited, stopped.State);
        Assert.Equal(0, stopped.ExitCode);
        var log = await File.ReadAllTextAsync(stopped.LogPath, ct);
        Assert.Contains("SIGTERM", log, StringComparison.Ordinal);

        foreach (var line in File.ReadLines(_agentA.LogPath).Concat(File.ReadLines(_agentB.LogPath)).Where(l => l.Contains("Migration ", StringComparison.Ordinal)))
        {
            TestContext.Current.SendDiagnosticMessage(line);
        }

        Report($"pre-copy of a CRI redis container ({Keys} keys, AOF in the writable layer) a → b over {_link.Rate}: {migration.GetProperty("rounds").GetInt32()} live rounds, " +
            $"{wire} B on the shaped veth, target-measured downtime {migration.GetProperty("downtimeMs").GetDouble():0} ms; client: longest pause on the source {pauseBeforeCommit.TotalMilliseconds:0} ms, " +
            $"last write acked on a → first read on b {reconnectedAfter.TotalMilliseconds:0} ms (includes finding the new pod address through CRI); counter {lastAcked} → {counter}; " +
            $"restored container {restored.Id[..12]} in pod {restored.PodSandboxId[..12]} at {addressB}, stopped by containerd: exit {stopped.ExitCode} ({stopped.Reason})");
    }

    [Fact]
    public async Task Sigkill_of_the_target_agent_mid_transfer_rolls_back_and_the_source_keeps_serving_its_data()
    {
        var ct = TestContext.Current.CancellationToken;
        _client = await RedisCounterClient.StartAsync(_link.NamespaceA, _addressA, TimeSpan.FromMilliseconds(20));
        await Eventually.GetAsync(() => Task.FromResult(_client.Acked), n => n > 10, "the client to count on node a", TimeSpan.FromSeconds(30), ct);
        var txBefore = await _link.TxBytesAsync('a', ct);
        var id = await StartMigrationAsync("pre-copy", ct);

        await Eventually.GetAsync(() => _link.TxBytesAsync('a', ct), tx => tx - txBefore > 8_000_000, "8 MB of the first round on the wire", TimeSpan.FromSeconds(90), ct);
        _agentB.Kill();

        var migration = await WaitMigrationAsync(id, ct);
        Assert.True(migration.GetProperty("state").GetString() == "rolled-back", $"expected rolled-back: {migration}\nsource agent:\n{_agentA.Tail()}");
        var task = (await _a.Tasks.GetAsync(new CdTasks.GetRequest { ContainerId = _containerA }, _a.Native(ct))).Process;
        Assert.Equal(Engines.Containerd.Api.Types.Status.Running, task.Status);
        Assert.Single(await CriWorkload.RunningOfAsync(_a, ServiceId, ct));

        // The same connection keeps counting: the source was never removed, and the data is all there.
        var before = _client.LastAcked;
        await Eventually.GetAsync(() => Task.FromResult(_client.LastAcked), v => v > before + 10, "the client to keep counting on node a", TimeSpan.FromSeconds(30), ct);
        Assert.Null(_client.EndedBecause);
        using var redis = await ConnectAsync(_link.NamespaceA, _addressA, ct);
        Assert.Equal((long)Keys + 2, await redis.CommandAsync(ct, "DBSIZE"));
        Assert.Equal("before-migration", await redis.CommandAsync(ct, "GET", "marker"));
        var service = await _silo.GetAsync<JsonElement>($"/api/services/{ServiceId}", ct);
        Assert.Equal(_agentA.NodeId, service.GetProperty("nodeId").GetString());
        Report($"target agent SIGKILLed after {(await _link.TxBytesAsync('a', ct) - txBefore) / 1_000_000} MB → {migration.GetProperty("state").GetString()} ({migration.GetProperty("error").GetString()}); " +
            $"source task {task.Status}, longest client pause {_client.LongestGap.TotalMilliseconds:0} ms, counter now {_client.LastAcked}");
    }

    [Fact]
    public async Task A_target_without_the_base_image_refuses_with_the_reason_and_the_source_keeps_running()
    {
        var ct = TestContext.Current.CancellationToken;
        // Every name of the image on b (CRI also names each image by its id), so its manifest is gone there, not just a tag.
        var digest = (await _b.Images.GetAsync(new CdImages.GetImageRequest { Name = ContainerdNode.RedisImage }, _b.Native(ct))).Image.Target.Digest;
        var names = (await _b.Images.ListAsync(new CdImages.ListImagesRequest { Filters = { $"target.digest=={digest}" } }, _b.Native(ct))).Images.Select(i => i.Name).ToList();
        var removed = await HostCommand.RunAsync(ContainerdNode.Binary("ctr"), ["-a", _cdB.Socket, "-n", "k8s.io", "images", "rm", .. names], ct);
        Assert.True(removed.Succeeded, removed.Output);
        _client = await RedisCounterClient.StartAsync(_link.NamespaceA, _addressA, TimeSpan.FromMilliseconds(20));

        var migration = await MigrateAsync("pre-copy", ct);

        Assert.Equal("rolled-back", migration.GetProperty("state").GetString());
        var error = migration.GetProperty("error").GetString();
        Assert.Contains($"base image {ContainerdNode.RedisImage} is not in containerd", error, StringComparison.Ordinal);
        Assert.Equal(Engines.Containerd.Api.Types.Status.Running, (await _a.Tasks.GetAsync(new CdTasks.GetRequest { ContainerId = _containerA }, _a.Native(ct))).Process.Status);
        var before = _client.LastAcked;
        await Eventually.GetAsync(() => Task.FromResult(_client.LastAcked), v => v > before + 10, "the client to keep counting on node a", TimeSpan.FromSeconds(30), ct);
        Assert.Null(_client.EndedBecause);
        var podsOnB = (await _b.Cri.ListPodSandboxAsync(new Cri.ListPodSandboxRequest(), cancellationToken: ct)).Items;
        Assert.DoesNotContain(podsOnB, p => p.Labels.ContainsKey(ContainerdLabels.Migration));
        Report($"target without {ContainerdNode.RedisImage} → {migration.GetProperty("state").GetString()}: {error}");
    }

    private static void Report(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[containerd] {line}"));
    }

    private static async Task<RespConnection> ConnectAsync(string netns, IPAddress address, CancellationToken ct)
    {
        RespConnection? connection = null;
        await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    connection?.Dispose();
                    connection = new RespConnection(await NetnsSocket.ConnectAsync(netns, new IPEndPoint(address, 6379), TimeSpan.FromSeconds(5)));
                    return await connection.CommandAsync(ct, "PING") as string;
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
                {
                    return ex.Message;
                }
            },
            answer => answer == "PONG",
            $"redis at {address} in {netns} to answer PING",
            TimeSpan.FromSeconds(30),
            ct);
        return connection!;
    }

    private async Task StartAsync(CancellationToken ct)
    {
        _root = Directory.CreateTempSubdirectory("em-containerd-").FullName;
        _link = await NetnsLink.CreateAsync(cancellationToken: ct);
        _silo = await TestSilo.StartAsync(cancellationToken: ct);
        _cdA = await ContainerdNode.StartAsync(Path.Combine(_root, "containerd-a"), _link.NamespaceA, "10.89.1.0/24", ct);
        _cdB = await ContainerdNode.StartAsync(Path.Combine(_root, "containerd-b"), _link.NamespaceB, "10.89.2.0/24", ct);
        await Task.WhenAll(_cdA.ImportAsync(ContainerdNode.ImageArchive, ct), _cdB.ImportAsync(ContainerdNode.ImageArchive, ct));
        _a = new ContainerdConnection(_cdA.Socket, "k8s.io");
        _b = new ContainerdConnection(_cdB.Socket, "k8s.io");

        var nodeA = $"{_link.Name}-a";
        var nodeB = $"{_link.Name}-b";
        _agentA = AgentProcess.Start(new AgentProcessOptions { NodeId = nodeA, Netns = _link.NamespaceA, MqttUrl = $"mqtt://{_link.HostA}:{_silo.MqttPort}", Listen = $"{_link.LinkA}:{TransferPort}", Root = _root, ContainerdSocket = _cdA.Socket });
        _agentB = AgentProcess.Start(new AgentProcessOptions { NodeId = nodeB, Netns = _link.NamespaceB, MqttUrl = $"mqtt://{_link.HostB}:{_silo.MqttPort}", Listen = $"{_link.LinkB}:{TransferPort}", Root = _root, ContainerdSocket = _cdB.Socket });

        // A kubelet's part: the Pod (labelled with the service) and its container through CRI, then data and a marker.
        (_, _containerA, _addressA) = await CriWorkload.RunAsync(_a, ServiceId, ContainerdNode.RedisImage, Path.Combine(_root, "pod-logs", "redis-0"), ct);
        using (var redis = await ConnectAsync(_link.NamespaceA, _addressA, ct))
        {
            for (var start = 0; start < Keys; start += 1000)
            {
                var batch = Enumerable.Range(start, Math.Min(1000, Keys - start)).Select(i => new[] { "SET", $"key:{i}", Value + i.ToString(CultureInfo.InvariantCulture) }).ToList();
                Assert.All(await redis.PipelineAsync(batch, ct), reply => Assert.Equal("OK", reply));
            }

            Assert.Equal("OK", await redis.CommandAsync(ct, "SET", "marker", "before-migration"));
        }

        await WaitOnlineAsync(_agentA, ServiceId, ct);
        await WaitOnlineAsync(_agentB, null, ct);
        using var created = await _silo.Http.PostAsJsonAsync("/api/services", new { serviceId = ServiceId, engine = "containerd", workload = ContainerdNode.RedisImage, nodeId = nodeA, memoryMiB = 64 }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
    }

    private async Task WaitOnlineAsync(AgentProcess agent, string? hosting, CancellationToken ct)
    {
        try
        {
            await Eventually.GetAsync(
                () => _silo.GetOrDefaultAsync<JsonObject>($"/api/nodes/{agent.NodeId}", ct),
                n => n?["online"]?.GetValue<bool>() == true
                    && n["engines"]?.AsArray().Any(e => e?.GetValue<string>() == "containerd") == true
                    && (hosting is null || n["services"]?.AsArray().Any(s => s?.GetValue<string>() == hosting) == true),
                $"{agent.NodeId} online with the containerd engine{(hosting is null ? string.Empty : $", hosting {hosting}")}",
                TimeSpan.FromSeconds(90),
                ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nagent output:\n{agent.Tail()}", ex);
        }
    }

    private async Task<string> StartMigrationAsync(string mode, CancellationToken ct)
    {
        using var response = await _silo.Http.PostAsJsonAsync($"/api/services/{ServiceId}/migrate", new { targetNodeId = _agentB.NodeId, mode, reason = "containerd test" }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"migrate answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("plan").GetProperty("migrationId").GetString()!;
    }

    private async Task<JsonElement> MigrateAsync(string mode, CancellationToken ct) => await WaitMigrationAsync(await StartMigrationAsync(mode, ct), ct);

    private async Task<JsonElement> WaitMigrationAsync(string id, CancellationToken ct)
    {
        var result = await Eventually.GetAsync(
            () => _silo.GetAsync<JsonElement>($"/api/migrations/{id}", ct),
            m => m.GetProperty("state").GetString() is "committed" or "rolled-back" or "failed",
            $"migration {id} to end",
            TimeSpan.FromSeconds(240),
            ct);
        TestContext.Current.SendDiagnosticMessage($"migration {id}: {result}");
        return result;
    }
}
