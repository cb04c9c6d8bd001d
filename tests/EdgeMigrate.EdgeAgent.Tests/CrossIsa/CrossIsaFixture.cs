using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EdgeMigrate.EdgeAgent.Engines.Wasm;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeMigrate.EdgeAgent.Tests.CrossIsa;

/// <summary>
/// The cross-ISA set-up, once per test class: the sample wasm modules (samples/wasm/build.sh), the agent
/// published self-contained for linux-arm64 (<see cref="Arm64Agent"/>: cached by input hash, own
/// --artifacts-path), the real silo in this process, an x86-64
/// agent in this process and the arm64 agent as a child process under qemu-aarch64-static. Missing tools fail
/// with the install command; nothing is skipped.
/// </summary>
public sealed class CrossIsaFixture : IAsyncLifetime
{
    public const string X64Node = "edge-x64";
    public const string ArmNode = "edge-arm64";
    public const string FusionService = "svc-fusion";
    public const string RefusedService = "svc-refused";

    private readonly StringBuilder _armLog = new();
    private readonly Lock _armLogGate = new();
    private Process? _arm;
    private IHost? _x64;

    public string Root { get; } = Directory.CreateTempSubdirectory("em-crossisa-").FullName;

    public string ModulesDirectory => Path.Combine(AppContext.BaseDirectory, "crossisa-wasm");

    public TestSilo Silo { get; private set; } = null!;

    public IPEndPoint X64Requests { get; private set; } = null!;

    public IPEndPoint ArmRequests { get; private set; } = null!;

    /// <summary>How long the arm64 publish took (0 when it came from the cache).</summary>
    public TimeSpan PublishTime { get; private set; }

    public string ModulePath(string name) => Path.Combine(ModulesDirectory, name + ".wasm");

    public IPEndPoint RequestsOf(string nodeId) => nodeId == ArmNode ? ArmRequests : X64Requests;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Arm64Agent.RequireQemu();
        await BuildModulesAsync(ct);
        var published = await Arm64Agent.PublishAsync(ct);
        PublishTime = published.PublishTime;
        var command = Arm64Agent.Command(published.Binary);

        Silo = await TestSilo.StartAsync(cancellationToken: ct);
        var mqtt = $"mqtt://127.0.0.1:{Silo.MqttPort}";

        // The arm64 agent first: qemu start-up is the slow part, the in-process agent starts meanwhile.
        var armPort = FreePort.Next();
        var armDir = Path.Combine(Root, ArmNode);
        Directory.CreateDirectory(armDir);
        var info = new ProcessStartInfo(command.FileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in command.Prefix.Concat(
        [
            "--node-id", ArmNode, "--mqtt-url", mqtt, "--listen", "127.0.0.1:0",
            "--runc-root", Path.Combine(armDir, "runc"), "--work-dir", Path.Combine(armDir, "work"),
            "--status-interval", "1", "--wasm-listen", $"127.0.0.1:{armPort}",
        ]))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        _arm = new Process { StartInfo = info };
        _arm.OutputDataReceived += (_, e) => AppendArmLog(e.Data);
        _arm.ErrorDataReceived += (_, e) => AppendArmLog(e.Data);
        _arm.Start();
        _arm.BeginOutputReadLine();
        _arm.BeginErrorReadLine();
        ArmRequests = new IPEndPoint(IPAddress.Loopback, armPort);

        var x64Dir = Path.Combine(Root, X64Node);
        _x64 = AgentApplication.Build(new Dictionary<string, string?>
        {
            ["Agent:NodeId"] = X64Node,
            ["Agent:MqttUrl"] = mqtt,
            ["Agent:Listen"] = "127.0.0.1:0",
            ["Agent:RuncRoot"] = Path.Combine(x64Dir, "runc"),
            ["Agent:WorkDir"] = Path.Combine(x64Dir, "work"),
            ["Agent:StatusInterval"] = "00:00:01",
            ["Agent:WasmListen"] = "127.0.0.1:0",
            ["Agent:RunWasm:0"] = $"{FusionService}={ModulePath("fusion")}",
            ["Agent:Run:0"] = $"{RefusedService}={ModulePath("refused-fusion-stack-pointer-hidden")}",
        });
        await _x64.StartAsync(ct);
        await _x64.Services.GetRequiredService<AgentMqttService>().Connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
        X64Requests = _x64.Services.GetRequiredService<WasmRequestEndpoint>().BoundEndpoint!;

        await WaitOnlineAsync(X64Node, "x64", TimeSpan.FromSeconds(30), ct);
        await WaitOnlineAsync(ArmNode, "arm64", TimeSpan.FromSeconds(120), ct);
    }

    /// <summary>Starts a wasm service on the in-process x86-64 agent, with <c>em_init</c> config.</summary>
    public Task StartOnX64Async(string serviceId, string module, string? config, CancellationToken ct) =>
        _x64!.Services.GetRequiredService<WasmEngine>().StartAsync(serviceId, ModulePath(module), config, ct);

    /// <summary>The node as the silo sees it.</summary>
    public Task<JsonObject?> NodeAsync(string nodeId, CancellationToken ct) => Silo.GetOrDefaultAsync<JsonObject>($"/api/nodes/{nodeId}", ct);

    /// <summary>The last lines of the arm64 agent's output, for failure messages.</summary>
    public string ArmLogTail(int lines = 60)
    {
        lock (_armLogGate)
        {
            var all = _armLog.ToString().Split('\n');
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_arm is { HasExited: false })
        {
            _arm.Kill(entireProcessTree: true);
            await _arm.WaitForExitAsync(CancellationToken.None);
        }

        _arm?.Dispose();
        if (_x64 is not null)
        {
            await _x64.StopAsync(TimeSpan.FromSeconds(10));
            _x64.Dispose();
        }

        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task WaitOnlineAsync(string nodeId, string arch, TimeSpan within, CancellationToken ct)
    {
        try
        {
            await Eventually.GetAsync(
                () => NodeAsync(nodeId, ct),
                n => n?["online"]?.GetValue<bool>() == true && n["transferEndpoint"] is not null && n["arch"]?.GetValue<string>() == arch
                     && n["engines"]!.AsArray().Any(e => e!.GetValue<string>() == "wasm"),
                $"{nodeId} online ({arch}, wasm engine, transfer endpoint)",
                within,
                ct);
        }
        catch (Exception ex) when (nodeId == ArmNode)
        {
            throw new InvalidOperationException($"{ex.Message}\narm64 agent output:\n{ArmLogTail()}", ex);
        }
    }

    private async Task BuildModulesAsync(CancellationToken ct)
    {
        foreach (var tool in new[] { "clang-14", "wasm-ld-14", "wat2wasm" })
        {
            if (HostCommand.Which(tool) is null)
            {
                throw new InvalidOperationException($"'{tool}' is not installed: the cross-ISA tests build samples/wasm. Run scripts/install-test-deps.sh (clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32, wabt).");
            }
        }

        var result = await HostCommand.RunAsync("bash", [Path.Combine(RepositoryLayout.Root, "samples", "wasm", "build.sh"), ModulesDirectory], ct);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"samples/wasm/build.sh failed ({result.ExitCode}):\n{result.Output}");
        }
    }

    private void AppendArmLog(string? line)
    {
        if (line is not null)
        {
            lock (_armLogGate)
            {
                _armLog.AppendLine(line);
            }
        }
    }
}
