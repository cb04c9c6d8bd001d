using System.Diagnostics;
using System.IO.Hashing;
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
/// published self-contained for linux-arm64 (cached by input hash under the temp directory, with its own
/// --artifacts-path so it never shares obj/ with the running build), the real silo in this process, an x86-64
/// agent in this process and the arm64 agent as a child process under qemu-aarch64-static. Missing tools fail
/// with the install command; nothing is skipped.
/// </summary>
public sealed class CrossIsaFixture : IAsyncLifetime
{
    public const string Qemu = "qemu-aarch64-static";
    public const string Sysroot = "/opt/edgemigrate/arm64-sysroot";
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
        var qemu = EdgeMigrate.EdgeAgent.Engines.Container.ProcessRunner.Which(Qemu)
            ?? throw new InvalidOperationException($"'{Qemu}' is not installed: the arm64 agent runs under qemu. Run scripts/install-test-deps.sh (qemu-user-static).");
        if (!File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")))
        {
            throw new InvalidOperationException($"the arm64 sysroot is missing ({Sysroot}/lib/ld-linux-aarch64.so.1). Run scripts/install-test-deps.sh.");
        }

        await BuildModulesAsync(ct);
        var agent = await PublishArm64AgentAsync(ct);

        Silo = await TestSilo.StartAsync(cancellationToken: ct);
        var mqtt = $"mqtt://127.0.0.1:{Silo.MqttPort}";

        // The arm64 agent first: qemu start-up is the slow part, the in-process agent starts meanwhile.
        var armPort = FreePort.Next();
        var armDir = Path.Combine(Root, ArmNode);
        Directory.CreateDirectory(armDir);
        var info = new ProcessStartInfo(qemu) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            agent, "--node-id", ArmNode, "--mqtt-url", mqtt, "--listen", "127.0.0.1:0",
            "--runc-root", Path.Combine(armDir, "runc"), "--work-dir", Path.Combine(armDir, "work"),
            "--status-interval", "1", "--wasm-listen", $"127.0.0.1:{armPort}",
        })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["QEMU_LD_PREFIX"] = Sysroot;
        info.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
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
        X64Requests = _x64.Services.GetRequiredService<WasmStartup>().RequestEndpoint!;

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
            if (EdgeMigrate.EdgeAgent.Engines.Container.ProcessRunner.Which(tool) is null)
            {
                throw new InvalidOperationException($"'{tool}' is not installed: the cross-ISA tests build samples/wasm. Run scripts/install-test-deps.sh (clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32, wabt).");
            }
        }

        var result = await RunAsync("bash", [Path.Combine(RepositoryRoot, "samples", "wasm", "build.sh"), ModulesDirectory], null, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"samples/wasm/build.sh failed ({result.ExitCode}):\n{result.Output}");
        }
    }

    /// <summary>dotnet publish of src/EdgeAgent for linux-arm64, once per input hash (the cache keeps only the newest).</summary>
    private async Task<string> PublishArm64AgentAsync(CancellationToken ct)
    {
        var cache = Path.Combine(Path.GetTempPath(), "edgemigrate-agent-arm64", InputHash());
        var publish = Path.Combine(cache, "publish");
        var binary = Path.Combine(publish, "edgemigrate-agent");
        var marker = Path.Combine(cache, "published.ok");
        Directory.CreateDirectory(cache);
        if (!File.Exists(marker))
        {
            await using var lockFile = await AcquireLockAsync(Path.Combine(cache, ".lock"), ct);
            if (!File.Exists(marker))
            {
                var started = Stopwatch.GetTimestamp();
                var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
                var result = await RunAsync(
                    dotnet,
                    ["publish", Path.Combine(RepositoryRoot, "src", "EdgeAgent", "EdgeMigrate.EdgeAgent.csproj"), "-r", "linux-arm64", "--self-contained",
                     "-c", "Release", "-nologo", "--artifacts-path", Path.Combine(cache, "artifacts"), "-o", publish],
                    new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["MSBUILDNODECOUNT"] = "1" },
                    ct);
                if (result.ExitCode != 0 || !File.Exists(binary))
                {
                    throw new InvalidOperationException($"dotnet publish -r linux-arm64 of the agent failed ({result.ExitCode}):\n{result.Output}");
                }

                PublishTime = Stopwatch.GetElapsedTime(started);
                await File.WriteAllTextAsync(marker, PublishTime.ToString(), ct);
                foreach (var old in Directory.EnumerateDirectories(Path.GetDirectoryName(cache)!).Where(d => d != cache))
                {
                    try
                    {
                        Directory.Delete(old, recursive: true);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // In use by a concurrent run; the next run cleans it.
                    }
                }
            }
        }

        if (!File.Exists(Path.Combine(publish, "libwasmtime.so")))
        {
            throw new InvalidOperationException($"{publish} has no libwasmtime.so next to the agent: the arm64 agent could not load Wasmtime");
        }

        return binary;
    }

    private static string InputHash()
    {
        var hash = new XxHash128();
        var roots = new[] { "src/EdgeAgent", "src/EdgeAgent.Wasm", "src/Models" }.Select(r => Path.Combine(RepositoryRoot, r));
        var sep = Path.DirectorySeparatorChar;
        var files = roots
            .SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "eng/BannedSymbols.txt" }.Select(f => Path.Combine(RepositoryRoot, f)))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(RepositoryRoot, file)));
            hash.Append(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeMigrate.sln")) || File.Exists(Path.Combine(dir.FullName, "EdgeMigrate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no EdgeMigrate.sln above {AppContext.BaseDirectory}");
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 900)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env, CancellationToken ct)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
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
