using System.Net;
using System.Text.Json;
using EdgeMigrate.Testing;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// Two fresh namespaced agents (a on this x86-64 host; b the same build, or the arm64 publish under qemu), the
/// service started on a and registered with the silo, and a client probe that has seen it run. Disposing stops the
/// probe and both agents by their PIDs (which removes their containers and cgroups).
/// </summary>
public sealed class AgentPair : IAsyncDisposable
{
    public const int TransferPort = 7701;
    public const int WasmPort = 7702;

    private AgentPair(AgentProcess a, AgentProcess b)
    {
        A = a;
        B = b;
    }

    public AgentProcess A { get; }

    public AgentProcess B { get; }

    public ClientProbe Probe { get; private set; } = null!;

    /// <summary>Starts the pair; <paramref name="workload"/> is the OCI bundle or the wasm module, <paramref name="armCommand"/> makes b the arm64 agent.</summary>
    public static async Task<AgentPair> StartAsync(
        NetnsLink link, BenchSilo silo, Combination combination, string serviceId, string workload, string root, AgentCommand? armCommand, double requestsPerSecond, CancellationToken ct)
    {
        var wasm = combination.Engine == BenchEngine.Wasm;
        AgentProcessOptions Options(char side) => new()
        {
            NodeId = $"{link.Name}-{side}",
            Netns = link.NamespaceOf(side),
            MqttUrl = $"mqtt://{(side == 'a' ? link.HostA : link.HostB)}:{silo.MqttPort}",
            Listen = $"{(side == 'a' ? link.LinkA : link.LinkB)}:{TransferPort}",
            Root = root,
            Run = side == 'a' && !wasm ? [$"{serviceId}={workload}"] : [],
            RunWasm = side == 'a' && wasm ? [$"{serviceId}={workload}"] : [],
            WasmConfig = side == 'a' && wasm ? [$"{serviceId}={MemhogModule.Config(combination.MemoryMiB, combination.DirtyPagesPerRequest)}"] : [],
            WasmListen = wasm ? $"0.0.0.0:{WasmPort}" : null,
            Command = side == 'b' ? armCommand : null,
        };

        var pair = new AgentPair(AgentProcess.Start(Options('a')), AgentProcess.Start(Options('b')));
        try
        {
            string? arch = wasm ? "x64" : null;
            await WaitAsync(async () => IsOnline(await silo.GetAsync($"/api/nodes/{pair.A.NodeId}", ct), $"{link.LinkA}:{TransferPort}", arch), TimeSpan.FromSeconds(60), $"{pair.A.NodeId} online", ct);
            // Under qemu the agent's start-up (JIT of everything) takes a minute or more.
            await WaitAsync(async () => IsOnline(await silo.GetAsync($"/api/nodes/{pair.B.NodeId}", ct), $"{link.LinkB}:{TransferPort}", armCommand is null ? arch : "arm64"), TimeSpan.FromSeconds(armCommand is null ? 60 : 240), $"{pair.B.NodeId} online", ct);
            await silo.PostAsync("/api/services", new { serviceId, engine = wasm ? "wasm" : "container", workload = wasm ? "memhog.wasm" : "counter", nodeId = pair.A.NodeId, memoryMiB = combination.MemoryMiB }, ct);
            pair.Probe = wasm
                ? ClientProbe.ForWasm(new WasmRequestClient(serviceId, [(pair.A.NodeId, EndpointOf(link, 'a')), (pair.B.NodeId, EndpointOf(link, 'b'))], requestsPerSecond))
                : ClientProbe.ForStateFiles(pair.A.StateFileOf(serviceId), pair.B.StateFileOf(serviceId));
            // Memory filled, the dirtying at its steady rate (container: a few 100 ms ticks and memory checks; wasm: 2 s of requests).
            var running = wasm ? (long)(2 * requestsPerSecond) : 30;
            await WaitAsync(() => Task.FromResult(pair.Probe.Counter > running), TimeSpan.FromSeconds(60), "the workload to run", ct);
            return pair;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            var tails = pair.Tails();
            await pair.DisposeAsync();
            throw new InvalidOperationException($"{ex.Message}\n{tails}", ex);
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last lines of both agents' output without Polly's per-call lines, for failure notes.</summary>
    public string Tails(int lines = 8) => $"{A.NodeId}:\n{Tail(A, lines)}\n{B.NodeId}:\n{Tail(B, lines)}";

    public async ValueTask DisposeAsync()
    {
        if (Probe is not null)
        {
            await Probe.DisposeAsync();
        }

        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    /// <summary>Polls every 50 ms until <paramref name="done"/>, or throws a <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task WaitAsync(Func<Task<bool>> done, TimeSpan within, string what, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await done())
        {
            if (TimeProvider.System.GetElapsedTime(started) > within)
            {
                throw new TimeoutException($"gave up after {within.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(50, ct);
        }
    }

    private static string Tail(AgentProcess agent, int lines) =>
        string.Join('\n', agent.Tail(400).Split('\n').Where(l => !l.Contains("Polly[", StringComparison.Ordinal) && !l.StartsWith("   at ", StringComparison.Ordinal)).TakeLast(lines));

    /// <summary>The wasm request endpoint of side a or b, reached from the host over that namespace's host leg.</summary>
    private static IPEndPoint EndpointOf(NetnsLink link, char side) => new(IPAddress.Parse(link.HostLegAddressOf(side)), WasmPort);

    private static bool IsOnline(JsonElement node, string endpoint, string? wasmArch) =>
        node.ValueKind == JsonValueKind.Object
        && node.TryGetProperty("online", out var online) && online.ValueKind == JsonValueKind.True
        && node.TryGetProperty("transferEndpoint", out var ep) && ep.GetString() == endpoint
        && (wasmArch is null
            || (node.TryGetProperty("arch", out var arch) && arch.GetString() == wasmArch
                && node.TryGetProperty("engines", out var engines) && engines.EnumerateArray().Any(e => e.GetString() == "wasm")));
}
