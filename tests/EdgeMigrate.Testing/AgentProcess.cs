using System.Diagnostics;
using System.Globalization;

namespace EdgeMigrate.Testing;

/// <summary>
/// An edgemigrate-agent as a child process, usually inside a network namespace made by scripts/netns-link.sh.
/// It is started with <c>nsenter --net=/run/netns/NS</c>, which is <c>ip netns exec NS</c> without the rest:
/// ip netns exec also unshares the mount namespace and remounts /sys for the namespace, which hides this host's
/// cgroup v1 hierarchies (tmpfs at /sys/fs/cgroup with one mount per controller, cgroup2 at .../unified) from
/// runc; mounting a bare cgroup2 there instead made runc use the controller-less v2 tree and CRIU's restore hang.
/// nsenter switches only the network namespace, so runc and CRIU see the host's cgroups. The PID we hold is
/// the agent's own (nsenter execs it). Output goes to a log file; the agent is stopped by its own PID and its
/// leftover containers and cgroups are removed on dispose.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private bool _logClosed;

    private AgentProcess(Process process, string nodeId, string workDir, string runcRoot, string logPath, StreamWriter log)
    {
        _process = process;
        NodeId = nodeId;
        WorkDir = workDir;
        RuncRoot = runcRoot;
        LogPath = logPath;
        _log = log;
    }

    public string NodeId { get; }

    public string WorkDir { get; }

    public string RuncRoot { get; }

    /// <summary>The agent's console output (stdout and stderr).</summary>
    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the container workload of <paramref name="serviceId"/> writes its state file on this agent.</summary>
    public string StateFileOf(string serviceId) => Path.Combine(WorkDir, "services", serviceId.Replace(':', '_'), "bundle", "rootfs", "tmp", "state");

    /// <summary>The built agent in namespace <paramref name="netns"/> with the container services <paramref name="run"/>.</summary>
    public static AgentProcess Start(string nodeId, string netns, string mqttUrl, string listen, string root, IEnumerable<string>? run = null) =>
        Start(new AgentProcessOptions { NodeId = nodeId, Netns = netns, MqttUrl = mqttUrl, Listen = listen, Root = root, Run = [.. run ?? []] });

    public static AgentProcess Start(AgentProcessOptions options)
    {
        var dir = Path.Combine(options.Root, options.NodeId);
        var workDir = Path.Combine(dir, "work");
        var runcRoot = Path.Combine(dir, "runc");
        Directory.CreateDirectory(dir);
        var command = options.Command ?? AgentCommand.Built();
        var info = new ProcessStartInfo(options.Netns is null ? command.FileName : "nsenter")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        List<string> args = options.Netns is null ? [] : [$"--net=/run/netns/{options.Netns}", "--", command.FileName];
        args.AddRange(command.Prefix);
        args.AddRange(["--node-id", options.NodeId, "--mqtt-url", options.MqttUrl, "--listen", options.Listen, "--runc-root", runcRoot, "--work-dir", workDir, "--status-interval", "1"]);
        args.AddRange(options.Run.SelectMany(r => new[] { "--run", r }));
        args.AddRange(options.RunWasm.SelectMany(r => new[] { "--run-wasm", r }));
        args.AddRange(options.WasmConfig.SelectMany(c => new[] { "--wasm-config", c }));
        if (options.WasmListen is not null)
        {
            args.AddRange(["--wasm-listen", options.WasmListen]);
        }

        if (options.ContainerdSocket is not null)
        {
            args.AddRange(["--containerd-socket", options.ContainerdSocket]);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // nsenter execs the program, which inherits these.
        foreach (var (key, value) in command.Environment)
        {
            info.Environment[key] = value;
        }

        var logPath = Path.Combine(dir, "agent.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var agent = new AgentProcess(process, options.NodeId, workDir, runcRoot, logPath, log);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>SIGKILL: no clean MQTT disconnect, so the broker publishes the agent's last-will.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        await HostCommand.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The last lines of the agent's output, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.Flush();
            }
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        // The agent's containers outlive it (as with a real agent restart): delete them by id.
        if (Directory.Exists(RuncRoot) && HostCommand.Which("runc") is not null)
        {
            var list = await HostCommand.RunAsync("runc", ["--root", RuncRoot, "list", "-q"], CancellationToken.None);
            foreach (var id in list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await HostCommand.RunAsync("runc", ["--root", RuncRoot, "delete", "-f", id], CancellationToken.None);
            }
        }

        RemoveNodeCgroups();
        _process.Dispose();
        lock (_logGate)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    /// <summary>runc leaves the node's parent cgroup (/edgemigrate/{node}) behind in every hierarchy: remove the empty ones.</summary>
    private void RemoveNodeCgroups()
    {
        string[] hierarchies = Directory.Exists("/sys/fs/cgroup/edgemigrate") ? ["/sys/fs/cgroup"] : Directory.GetDirectories("/sys/fs/cgroup");
        foreach (var node in hierarchies.Select(h => Path.Combine(h, "edgemigrate", NodeId)).Where(Directory.Exists))
        {
            // cgroupfs: rmdir works on a cgroup without tasks or children; its files are not deleted one by one.
            foreach (var dir in Directory.GetDirectories(node, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(node))
            {
                try
                {
                    Directory.Delete(dir, recursive: false);
                }
                catch (IOException)
                {
                    // Still in use (a container we could not delete): left for the operator.
                }
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logGate)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
