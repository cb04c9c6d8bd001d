using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeMigrate.EdgeAgent.Engines.Containerd;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// The containerd path and the runc path side by side, same workload, same run: Redis (the installer's Debian image,
/// 20,000 keys × 500 B, no persistence) with a client incrementing a counter every 10 ms, once as a CRI container that a
/// containerd 2.1 node runs (containerd engine) and once as a runc container the agent runs from an OCI bundle of the same
/// rootfs (container engine), on the same two namespaced nodes over the same tbf link, both with CRIU's tcp-close. For
/// each: a local checkpoint + restore of the same container on node a (no network), then a pre-copy migration a → b
/// through the silo API. Client-seen downtime = the client's longest outage (last answer → first answer, from wherever
/// the service answers); engine downtime = what the target reports (migration) or freeze → running (local).
/// </summary>
public sealed class ContainerdComparison(BenchOptions options, TextWriter output)
{
    private const int Keys = 20_000;
    private const int Port = 6379;
    private const string CdService = "svc-redis-cd";
    private const string RuncService = "svc-redis-runc";
    private static readonly string[] RedisArgs = ["/usr/bin/redis-server", "--bind", "0.0.0.0", "--port", "6379", "--protected-mode", "no", "--appendonly", "no", "--save", "", "--dir", "/data"];
    private readonly List<string[]> _rows = [];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (ContainerdNode.Missing() is { } missing)
        {
            await output.WriteLineAsync(missing);
            return 2;
        }

        var rootfs = Directory.GetFiles("/var/cache/edgemigrate/rootfs", "bookworm-minbase-*.tar").FirstOrDefault();
        if (rootfs is null)
        {
            await output.WriteLineAsync("/var/cache/edgemigrate/rootfs/bookworm-minbase-*.tar is missing: run scripts/install-test-deps.sh (component redis)");
            return 2;
        }

        var root = Directory.CreateTempSubdirectory("em-bench-containerd-").FullName;
        var started = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var load = (await File.ReadAllTextAsync("/proc/loadavg", ct)).Split(' ')[0];
        await using var cleanup = new AsyncCleanup();
        try
        {
            var link = cleanup.Add(await NetnsLink.CreateAsync(options.Rate, ct));
            var silo = cleanup.Add(await BenchSilo.StartAsync(Path.Combine(root, "silo"), TimeSpan.FromMinutes(5), ct));
            var cdA = cleanup.Add(await ContainerdNode.StartAsync(Path.Combine(root, "containerd-a"), link.NamespaceA, "10.89.1.0/24", ct));
            var cdB = cleanup.Add(await ContainerdNode.StartAsync(Path.Combine(root, "containerd-b"), link.NamespaceB, "10.89.2.0/24", ct));
            await output.WriteLineAsync("importing the images into both containerd nodes …");
            await Task.WhenAll(cdA.ImportAsync(ContainerdNode.ImageArchive, ct), cdB.ImportAsync(ContainerdNode.ImageArchive, ct));
            var a = new ContainerdConnection(cdA.Socket, "k8s.io");
            var b = new ContainerdConnection(cdB.Socket, "k8s.io");
            cleanup.Add(a);
            cleanup.Add(b);

            // Agents: both engines; CRIU_CONFIG_FILE gives the runc engine's dumps and restores the same policy (tcp-close, skip-in-flight).
            var tcpClose = Path.Combine(root, "tcp-close.conf");
            await File.WriteAllTextAsync(tcpClose, "tcp-close\nskip-in-flight\n", ct);
            var nodeA = $"{link.Name}-a";
            var nodeB = $"{link.Name}-b";
            await output.WriteLineAsync("unpacking the redis rootfs as an OCI bundle on both nodes …");
            var bundleA = await RedisBundleAsync(Path.Combine(root, nodeA, "work", "services", RuncService, "bundle"), rootfs, nodeA, ct);
            await RedisBundleAsync(Path.Combine(root, nodeB, "work", "services", RuncService, "bundle"), rootfs, nodeB, ct);
            var command = AgentCommand.Built() with { Environment = new Dictionary<string, string> { ["CRIU_CONFIG_FILE"] = tcpClose } };
            AgentProcessOptions Agent(char side) => new()
            {
                NodeId = side == 'a' ? nodeA : nodeB,
                Netns = link.NamespaceOf(side),
                MqttUrl = $"mqtt://{(side == 'a' ? link.HostA : link.HostB)}:{silo.MqttPort}",
                Listen = $"{(side == 'a' ? link.LinkA : link.LinkB)}:{AgentPair.TransferPort}",
                Root = root,
                Run = side == 'a' ? [$"{RuncService}={bundleA}"] : [],
                ContainerdSocket = side == 'a' ? cdA.Socket : cdB.Socket,
                Command = command,
            };
            var agentA = cleanup.Add(AgentProcess.Start(Agent('a')));
            var agentB = cleanup.Add(AgentProcess.Start(Agent('b')));
            foreach (var agent in new[] { agentA, agentB })
            {
                await AgentPair.WaitAsync(async () => (await silo.GetAsync($"/api/nodes/{agent.NodeId}", ct)) is { ValueKind: JsonValueKind.Object } n && n.GetProperty("online").GetBoolean() && n.GetProperty("engines").EnumerateArray().Select(e => e.GetString()).ToHashSet() is var engines && engines.Contains("containerd") && engines.Contains("container"), TimeSpan.FromSeconds(90), $"{agent.NodeId} online", ct);
            }

            // containerd path: a kubelet-style CRI pod on a.
            var podA = await RunCriRedisAsync(a, Path.Combine(root, "pod-logs"), ct);
            await FillAsync(link.NamespaceA, new IPEndPoint(podA, Port), ct);
            await silo.PostAsync("/api/services", new { serviceId = CdService, engine = "containerd", workload = ContainerdNode.RedisImage, nodeId = nodeA, memoryMiB = 64 }, ct);
            var engineA = new ContainerdEngine(Options.Create(new AgentOptions { NodeId = "bench-local", ContainerdSocket = cdA.Socket, WorkDir = Path.Combine(root, "local-a") }), TimeProvider.System, NullLogger<ContainerdEngine>.Instance);
            cleanup.Add(engineA);
            await using (var client = new FailoverCounterClient(ct2 => CriCandidatesAsync([(nodeA, link.NamespaceA, a), (nodeB, link.NamespaceB, b)], ct2)))
            {
                client.Start();
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await LocalCriCheckpointRestoreAsync(engineA, link.NamespaceA, Path.Combine(root, "local-a", "cd"), client, ct);
                await AssertDataAsync(client, link, CdService, a, b, null, ct);
                await MigrateAsync("containerd", CdService, silo, link, nodeB, client, ct);
                await AssertDataAsync(client, link, CdService, a, b, null, ct);
            }

            // runc path: the agent's own container, sharing the agent's network namespace.
            var runcA = new IPEndPoint(IPAddress.Parse(link.LinkA), Port);
            var runcB = new IPEndPoint(IPAddress.Parse(link.LinkB), Port);
            await FillAsync(link.NamespaceA, runcA, ct);
            await silo.PostAsync("/api/services", new { serviceId = RuncService, engine = "container", workload = "redis", nodeId = nodeA, memoryMiB = 64 }, ct);
            IReadOnlyList<(string, string, IPEndPoint)> runcCandidates = [(nodeA, link.NamespaceA, runcA), (nodeB, link.NamespaceB, runcB)];
            await using (var client = new FailoverCounterClient(_ => Task.FromResult(runcCandidates)))
            {
                client.Start();
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                await LocalRuncCheckpointRestoreAsync(link.NamespaceA, agentA.RuncRoot, bundleA, Path.Combine(root, "local-a", "runc"), tcpClose, client, ct);
                await AssertDataAsync(client, link, RuncService, a, b, runcCandidates, ct);
                await MigrateAsync("runc", RuncService, silo, link, nodeB, client, ct);
                await AssertDataAsync(client, link, RuncService, a, b, runcCandidates, ct);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        var table = Table(started, load);
        await output.WriteLineAsync(table);
        if (options.Markdown is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, table, ct);
        }

        return 0;
    }

    private string Table(string started, string load)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"containerd path vs runc path: redis {Keys} keys × 500 B, client INCR every 10 ms, tcp-close, link {options.Rate}; {started}; load average at start {load}")
            .AppendLine()
            .AppendLine("| path | what | client-seen downtime ms | engine downtime ms | total ms | bytes on the link | rounds | data |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {string.Join(" | ", row)} |");
        }

        return text.ToString();
    }

    private async Task MigrateAsync(string path, string serviceId, BenchSilo silo, NetnsLink link, string target, FailoverCounterClient client, CancellationToken ct)
    {
        client.TakeOutages();
        var tx = await link.TxBytesAsync('a', ct);
        var started = TimeProvider.System.GetTimestamp();
        var plan = await silo.PostAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = target, mode = "pre-copy", reason = "bench", limits = new { maxRounds = 8, stopThresholdBytes = 4L * 1024 * 1024 } }, ct);
        var id = plan.GetProperty("plan").GetProperty("migrationId").GetString()!;
        JsonElement migration = default;
        await AgentPair.WaitAsync(
            async () => (migration = await silo.GetAsync($"/api/migrations/{id}", ct)).GetProperty("state").GetString() is "committed" or "rolled-back" or "failed",
            TimeSpan.FromMinutes(5),
            $"migration {id}",
            ct);
        var total = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        var bytes = await link.TxBytesAsync('a', ct) - tx;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var outage = client.TakeOutages().Where(o => o.After.EndsWith("-b", StringComparison.Ordinal)).Select(o => o.Length.TotalMilliseconds).DefaultIfEmpty(double.NaN).Max();
        var state = migration.GetProperty("state").GetString();
        _rows.Add([path, $"pre-copy a → b ({state})", Ms(outage), migration.TryGetProperty("downtimeMs", out var d) && d.ValueKind == JsonValueKind.Number ? Ms(d.GetDouble()) : "—",
            Ms(total), bytes.ToString("N0", CultureInfo.InvariantCulture), migration.GetProperty("rounds").GetInt32().ToString(CultureInfo.InvariantCulture), string.Empty]);
        await output.WriteLineAsync($"{path}: migration {id} {state} in {total:0} ms, {bytes} B; client outage {outage:0} ms {migration.GetProperty("error")}");
    }

    /// <summary>containerd: the engine's own steps on one node: pod made first, Tasks.Pause, leave-running dump, writable layer, source removed, CRI restore.</summary>
    private async Task LocalCriCheckpointRestoreAsync(ContainerdEngine engine, string netns, string dir, FailoverCounterClient client, CancellationToken ct)
    {
        // The base image's registry must listen where containerd a looks: the loopback of its namespace.
        await using var registry = await NetnsSocket.InNamespaceAsync(netns, () => ContentStoreRegistry.Start(engine.Connection, NullLogger.Instance));
        var service = await engine.FindAsync(CdService, ct) ?? throw new InvalidOperationException($"{CdService} is not running on a");
        var container = await engine.InspectAsync(service, ct);
        var pod = PodSandboxConfigs.Create("redis-local", "default", "redis-local", engine.PodLogDirectory("default", "redis-local"),
            [new(ContainerdLabels.Service, CdService), new(ContainerdLabels.ManagedBy, ContainerdLabels.ManagedByAgent)], []);
        var podId = await engine.RunPodAsync(pod, ct);
        client.TakeOutages();
        var started = TimeProvider.System.GetTimestamp();
        await engine.PauseAsync(service.ContainerId, ct);
        var images = Path.Combine(dir, "images");
        await RuncCheckpoint.DumpAsync(container.RuncRoot, service.ContainerId, images, Path.Combine(dir, "work"), engine.DumpCriuConfig, ct);
        await RootfsDiff.WriteAsync(engine.Connection, container.Snapshotter, container.SnapshotKey, Path.Combine(images, RootfsDiff.FileName), engine.Time, ct);
        await engine.RemoveAsync(service, stopTimeoutSeconds: 0, ct);
        var bytes = Directory.GetFiles(images).Sum(f => new FileInfo(f).Length);
        var result = await CriRestore.RunAsync(engine, new CriRestore.Request(podId, pod, images, dir, service.ContainerId, container.ImageName, container.ImageDigest, container.Spec, container.Status,
            new Dictionary<string, string> { [ContainerdLabels.Service] = CdService }), NullLogger.Instance, ct, registry);
        var ms = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var outage = client.TakeOutages().Select(o => o.Length.TotalMilliseconds).DefaultIfEmpty(double.NaN).Max();
        await engine.RemovePodAsync(service.PodSandboxId, ct);
        _rows.Add(["containerd", "local checkpoint + restore on a (pause, dump, layer, CRI restore)", Ms(outage), Ms(ms), Ms(ms), $"({bytes.ToString("N0", CultureInfo.InvariantCulture)} image bytes)", "—", string.Empty]);
        await output.WriteLineAsync($"containerd local: {ms:0} ms freeze → running ({result.ContainerId[..12]}), {bytes} B of images; client outage {outage:0} ms");
    }

    /// <summary>
    /// runc: <c>runc checkpoint</c> (the container stops) then <c>runc restore -d</c> of the same bundle, tcp-close, run in
    /// the agent's network namespace (the container shares it: runc restores it into the namespace runc itself is in).
    /// </summary>
    private async Task LocalRuncCheckpointRestoreAsync(string netns, string runcRoot, string bundle, string dir, string tcpClose, FailoverCounterClient client, CancellationToken ct)
    {
        var id = "em-" + RuncService;
        var env = new Dictionary<string, string> { ["CRIU_CONFIG_FILE"] = tcpClose };
        client.TakeOutages();
        var started = TimeProvider.System.GetTimestamp();
        var dump = await HostCommand.RunAsync("nsenter", [$"--net=/run/netns/{netns}", "--", "runc", "--root", runcRoot, "checkpoint", "--image-path", Path.Combine(dir, "images"), "--work-path", Path.Combine(dir, "work"), id], ct, env);
        if (!dump.Succeeded)
        {
            throw new InvalidOperationException($"runc checkpoint failed: {dump.Output}");
        }

        Directory.CreateDirectory(Path.Combine(dir, "work-restore"));
        var restore = await HostCommand.RunAsync("nsenter", [$"--net=/run/netns/{netns}", "--", "/bin/sh", "-c", "exec runc \"$@\" </dev/null >/dev/null 2>&1", "runc", "--root", runcRoot, "restore", "-d", "--bundle", bundle, "--image-path", Path.Combine(dir, "images"), "--work-path", Path.Combine(dir, "work-restore"), id], ct, env);
        if (!restore.Succeeded)
        {
            throw new InvalidOperationException($"runc restore failed ({restore.ExitCode}); see {dir}/work-restore/restore.log");
        }

        var ms = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
        var bytes = Directory.GetFiles(Path.Combine(dir, "images")).Sum(f => new FileInfo(f).Length);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var outage = client.TakeOutages().Select(o => o.Length.TotalMilliseconds).DefaultIfEmpty(double.NaN).Max();
        _rows.Add(["runc", "local checkpoint + restore on a (runc checkpoint, runc restore -d)", Ms(outage), Ms(ms), Ms(ms), $"({bytes.ToString("N0", CultureInfo.InvariantCulture)} image bytes)", "—", string.Empty]);
        await output.WriteLineAsync($"runc local: {ms:0} ms checkpoint → running, {bytes} B of images; client outage {outage:0} ms");
    }

    /// <summary>Every key and the counter where the service answers now; the result goes into the last row's data column.</summary>
    private async Task AssertDataAsync(FailoverCounterClient client, NetnsLink link, string serviceId, ContainerdConnection a, ContainerdConnection b, IReadOnlyList<(string, string, IPEndPoint)>? fixedCandidates, CancellationToken ct)
    {
        var candidates = fixedCandidates ?? await CriCandidatesAsync([("a", link.NamespaceA, a), ("b", link.NamespaceB, b)], ct);
        var (_, netns, endpoint) = candidates.First(c => c.Item1.EndsWith(client.Serving[^1..], StringComparison.Ordinal));
        using var redis = new RespConnection(await NetnsSocket.ConnectAsync(netns, endpoint, TimeSpan.FromSeconds(5)));
        var size = (long)(await redis.CommandAsync(ct, "DBSIZE"))!;
        var sample = (string?)await redis.CommandAsync(ct, "GET", "key:1234");
        var ok = size == Keys + 1 && sample == Value(1234);
        _rows[^1][^1] = ok ? $"intact ({size} keys on {client.Serving})" : $"LOST: {size} keys, key:1234 = {sample}";
        if (!ok)
        {
            throw new InvalidOperationException($"{serviceId}: data not intact after '{_rows[^1][1]}': {_rows[^1][^1]}");
        }
    }

    private static async Task<IReadOnlyList<(string Label, string Netns, IPEndPoint Endpoint)>> CriCandidatesAsync(IReadOnlyList<(string Node, string Netns, ContainerdConnection Containerd)> nodes, CancellationToken ct)
    {
        var found = new List<(string, string, IPEndPoint)>();
        foreach (var (node, netns, containerd) in nodes)
        {
            var pods = (await containerd.Cri.ListPodSandboxAsync(new Cri.ListPodSandboxRequest(), cancellationToken: ct)).Items.Where(p => p.Labels.GetValueOrDefault(ContainerdLabels.Service) == CdService).Select(p => p.Id).ToHashSet();
            var running = new Cri.ListContainersRequest { Filter = new Cri.ContainerFilter { State = new Cri.ContainerStateValue { State = Cri.ContainerState.ContainerRunning } } };
            foreach (var c in (await containerd.Cri.ListContainersAsync(running, cancellationToken: ct)).Containers.Where(c => pods.Contains(c.PodSandboxId)))
            {
                var ip = (await containerd.Cri.PodSandboxStatusAsync(new Cri.PodSandboxStatusRequest { PodSandboxId = c.PodSandboxId }, cancellationToken: ct)).Status.Network.Ip;
                found.Add((node, netns, new IPEndPoint(IPAddress.Parse(ip), Port)));
            }
        }

        return found;
    }

    private static async Task<IPAddress> RunCriRedisAsync(ContainerdConnection containerd, string logs, CancellationToken ct)
    {
        var pod = new Cri.PodSandboxConfig
        {
            Metadata = new Cri.PodSandboxMetadata { Name = "redis-0", Namespace = "default", Uid = Guid.NewGuid().ToString() },
            Hostname = "redis-0",
            LogDirectory = Path.Combine(logs, "redis-0"),
            Labels = { [ContainerdLabels.Service] = CdService },
            Linux = new Cri.LinuxPodSandboxConfig { SecurityContext = new Cri.LinuxSandboxSecurityContext { NamespaceOptions = new Cri.NamespaceOption { Pid = Cri.NamespaceMode.Container } } },
        };
        Directory.CreateDirectory(pod.LogDirectory);
        var podId = (await containerd.Cri.RunPodSandboxAsync(new Cri.RunPodSandboxRequest { Config = pod }, cancellationToken: ct)).PodSandboxId;
        var config = new Cri.ContainerConfig
        {
            Metadata = new Cri.ContainerMetadata { Name = "redis" },
            Image = new Cri.ImageSpec { Image = ContainerdNode.RedisImage },
            LogPath = "redis.log",
            Linux = new Cri.LinuxContainerConfig { SecurityContext = new Cri.LinuxContainerSecurityContext { NamespaceOptions = new Cri.NamespaceOption { Pid = Cri.NamespaceMode.Container } } },
        };
        config.Command.AddRange(RedisArgs);
        var id = (await containerd.Cri.CreateContainerAsync(new Cri.CreateContainerRequest { PodSandboxId = podId, Config = config, SandboxConfig = pod }, cancellationToken: ct)).ContainerId;
        await containerd.Cri.StartContainerAsync(new Cri.StartContainerRequest { ContainerId = id }, cancellationToken: ct);
        return IPAddress.Parse((await containerd.Cri.PodSandboxStatusAsync(new Cri.PodSandboxStatusRequest { PodSandboxId = podId }, cancellationToken: ct)).Status.Network.Ip);
    }

    /// <summary>The same rootfs as the image, as an OCI bundle in the agent's service directory (so no bundle crosses the link), sharing the agent's network namespace.</summary>
    private static async Task<string> RedisBundleAsync(string bundle, string rootfsTar, string nodeId, CancellationToken ct)
    {
        var rootfs = Path.Combine(bundle, "rootfs");
        Directory.CreateDirectory(rootfs);
        await HostCommand.CheckedAsync("tar", ["--numeric-owner", "-C", rootfs, "-xf", rootfsTar], ct);
        await HostCommand.CheckedAsync("runc", ["spec", "--bundle", bundle], ct);
        var path = Path.Combine(bundle, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path, ct))!.AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray([.. RedisArgs.Select(a => (JsonNode?)JsonValue.Create(a))]);
        config["process"]!["cwd"] = "/data";
        config["root"]!["readonly"] = false;
        var namespaces = config["linux"]!["namespaces"]!.AsArray();
        foreach (var network in namespaces.Where(n => (string?)n?["type"] == "network").ToList())
        {
            namespaces.Remove(network);
        }

        config["linux"]!["cgroupsPath"] = $"/edgemigrate/{nodeId}/em-{RuncService}";
        await File.WriteAllTextAsync(path, config.ToJsonString(), ct);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(bundle)!, "service-id"), RuncService, ct);
        return bundle;
    }

    private static async Task FillAsync(string netns, IPEndPoint endpoint, CancellationToken ct)
    {
        RespConnection? redis = null;
        await AgentPair.WaitAsync(
            async () =>
            {
                try
                {
                    redis?.Dispose();
                    redis = new RespConnection(await NetnsSocket.ConnectAsync(netns, endpoint, TimeSpan.FromSeconds(2)));
                    return await redis.CommandAsync(ct, "PING") is "PONG";
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            $"redis at {endpoint} in {netns}",
            ct);
        using (redis)
        {
            for (var start = 0; start < Keys; start += 1000)
            {
                await redis!.PipelineAsync([.. Enumerable.Range(start, Math.Min(1000, Keys - start)).Select(i => new[] { "SET", $"key:{i}", Value(i) })], ct);
            }
        }
    }

    private static string Value(int i) => new string('v', 490) + i.ToString("D6", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => double.IsNaN(ms) ? "—" : ms.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Disposes what it was given in reverse order, each on its own, so one failure never leaks the rest.</summary>
    private sealed class AsyncCleanup : IAsyncDisposable
    {
        private readonly Stack<object> _items = new();

        public T Add<T>(T item)
            where T : class
        {
            _items.Push(item);
            return item;
        }

        public async ValueTask DisposeAsync()
        {
            while (_items.TryPop(out var item))
            {
                try
                {
                    if (item is IAsyncDisposable asyncDisposable)
                    {
                        await asyncDisposable.DisposeAsync();
                    }
                    else if (item is IDisposable disposable)
                    {
                        disposable.Dispose();
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or OperationCanceledException)
                {
                    Console.Error.WriteLine($"clean-up: {ex.Message}");
                }
            }
        }
    }
}
