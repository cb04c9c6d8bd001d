using System.Diagnostics;
using System.Globalization;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// The built edgemigrate-agent as a child process in a network namespace, started with
/// <c>nsenter --net=/run/netns/NS</c> (ip netns exec without its /sys remount, which hides this host's cgroup v1
/// hierarchies from runc; see docs/edge-agent.md). Output goes to a log file; stopped by its own PID.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private bool _closed;

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

    public string LogPath { get; }

    public string StateFileOf(string serviceId) => Path.Combine(WorkDir, "services", serviceId.Replace(':', '_'), "bundle", "rootfs", "tmp", "state");

    public static AgentProcess Start(string nodeId, string netns, string mqttUrl, string listen, string root, IEnumerable<string> run)
    {
        var dir = Path.Combine(root, nodeId);
        Directory.CreateDirectory(dir);
        var info = new ProcessStartInfo("nsenter") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args =
        [
            $"--net=/run/netns/{netns}", "--", .. AgentCommand(),
            "--node-id", nodeId, "--mqtt-url", mqttUrl, "--listen", listen,
            "--runc-root", Path.Combine(dir, "runc"), "--work-dir", Path.Combine(dir, "work"), "--status-interval", "1",
            .. run.SelectMany(r => new[] { "--run", r }),
        ];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var logPath = Path.Combine(dir, "agent.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var agent = new AgentProcess(process, nodeId, Path.Combine(dir, "work"), Path.Combine(dir, "runc"), logPath, log);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>dotnet + the agent's build of the same configuration as this harness; EDGEMIGRATE_AGENT_DLL overrides.</summary>
    private static string[] AgentCommand()
    {
        var dotnet = Shell.Which("dotnet") ?? throw new InvalidOperationException("dotnet not on PATH");
        var dll = Environment.GetEnvironmentVariable("EDGEMIGRATE_AGENT_DLL");
        if (string.IsNullOrEmpty(dll))
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory);
            dll = Path.Combine(Shell.RepositoryRoot(), "src", "EdgeAgent", "bin", output.Parent?.Name ?? "Release", output.Name, "edgemigrate-agent.dll");
        }

        return File.Exists(dll) ? [dotnet, dll] : throw new InvalidOperationException($"{dll} missing: build src/EdgeAgent or set EDGEMIGRATE_AGENT_DLL");
    }

    public string Tail(int lines = 30)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var all = new StreamReader(stream).ReadToEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await Shell.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: false);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        if (Directory.Exists(RuncRoot))
        {
            var list = await Shell.RunAsync("runc", ["--root", RuncRoot, "list", "-q"], CancellationToken.None);
            foreach (var id in list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await Shell.RunAsync("runc", ["--root", RuncRoot, "delete", "-f", id], CancellationToken.None);
            }
        }

        RemoveNodeCgroups();
        _process.Dispose();
        lock (_gate)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    /// <summary>runc leaves the node's parent cgroup (/edgemigrate/{node}) in every hierarchy: remove the empty ones.</summary>
    private void RemoveNodeCgroups()
    {
        string[] hierarchies = Directory.Exists("/sys/fs/cgroup/edgemigrate") ? ["/sys/fs/cgroup"] : Directory.GetDirectories("/sys/fs/cgroup");
        foreach (var node in hierarchies.Select(h => Path.Combine(h, "edgemigrate", NodeId)).Where(Directory.Exists))
        {
            foreach (var dir in Directory.GetDirectories(node, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).Append(node))
            {
                try
                {
                    Directory.Delete(dir, recursive: false);
                }
                catch (IOException)
                {
                    // Still in use: left for the operator.
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

        lock (_gate)
        {
            if (!_closed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
