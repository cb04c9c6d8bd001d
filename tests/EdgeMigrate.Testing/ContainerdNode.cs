using System.Diagnostics;
using System.Globalization;

namespace EdgeMigrate.Testing;

/// <summary>
/// One real containerd 2.1 "node": its own config, root, state, runc root, CNI config and socket under one directory,
/// running inside a network namespace (started with <c>nsenter --net</c>, not <c>ip netns exec</c>, which remounts /sys
/// and hides this host's cgroup v1 hierarchies from runc). CRI is set up as on a K3s node without a registry: a locally
/// imported pinned sandbox image, a bridge CNI network per node, and the settings this sandbox needs (no
/// CAP_SYS_RESOURCE: restrict_oom_score_adj; image VOLUMEs kept inside the rootfs; <c>org.criu.config</c> allowed as a
/// container annotation so a restore gets its CRIU config). Stopped by its own PID; its shims, containers and mounts are
/// removed on dispose.
/// </summary>
public sealed class ContainerdNode : IAsyncDisposable
{
    public const string Prefix = "/opt/edgemigrate/containerd";
    public const string ImageArchive = "/var/cache/edgemigrate/containerd/images.tar";
    public const string SandboxImage = "docker.io/edgemigrate/pause:test";
    public const string RedisImage = "docker.io/edgemigrate/redis:test";

    private readonly Process _process;
    private readonly StreamWriter _log;

    private ContainerdNode(string directory, string netns, Process process, StreamWriter log)
    {
        Directory = directory;
        Netns = netns;
        _process = process;
        _log = log;
    }

    public string Directory { get; }

    public string Netns { get; }

    public string Socket => Path.Combine(Directory, "containerd.sock");

    /// <summary>runc root of its CRI containers (the shim appends the namespace).</summary>
    public string RuncRoot => Path.Combine(Directory, "runc");

    public string LogPath => Path.Combine(Directory, "containerd.log");

    public static string Binary(string name) => Path.Combine(Prefix, "usr", "bin", name);

    /// <summary>Why a containerd node cannot run here (tool missing), or null.</summary>
    public static string? Missing()
    {
        foreach (var tool in new[] { Binary("containerd"), Binary("containerd-shim-runc-v2"), Binary("ctr"), "/usr/lib/cni/bridge", "/usr/lib/cni/host-local", "/usr/lib/cni/loopback", ImageArchive })
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is missing: run scripts/install-test-deps.sh (component containerd) as root";
            }
        }

        return HostCommand.Which("runc") is null || HostCommand.Which("criu") is null || HostCommand.Which("nsenter") is null
            ? "runc, criu or nsenter is not on PATH: run scripts/install-test-deps.sh as root"
            : null;
    }

    /// <summary>Starts containerd in <paramref name="netns"/> with everything under <paramref name="directory"/>; pods get addresses from <paramref name="podSubnet"/>.</summary>
    public static async Task<ContainerdNode> StartAsync(string directory, string netns, string podSubnet, CancellationToken cancellationToken)
    {
        foreach (var sub in new[] { "root", "state", "runc", "tmp", "cni/conf", "cni/ipam" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "config.toml"), Config(directory), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "cni", "conf", "10-edgemigrate.conflist"), CniConfig(directory, podSubnet), cancellationToken);
        var info = new ProcessStartInfo("nsenter") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { $"--net=/run/netns/{netns}", "--", Binary("containerd"), "--config", Path.Combine(directory, "config.toml") })
        {
            info.ArgumentList.Add(arg);
        }

        // containerd finds its shim on PATH first: Debian 12's 1.6 shim in /usr/bin must not win over 2.1's own.
        info.Environment["PATH"] = $"{Path.Combine(Prefix, "usr", "bin")}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        var log = new StreamWriter(Path.Combine(directory, "containerd.log")) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new ContainerdNode(directory, netns, process, log);
        try
        {
            await Eventually.GetAsync(
                async () => !process.HasExited && (await HostCommand.RunAsync(Binary("ctr"), ["-a", node.Socket, "version"], cancellationToken)).Succeeded,
                ready => ready || process.HasExited,
                $"containerd in {netns} to answer on {node.Socket}",
                TimeSpan.FromSeconds(60),
                cancellationToken);
            if (process.HasExited)
            {
                throw new InvalidOperationException($"containerd exited ({process.ExitCode}):\n{node.Tail()}");
            }
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Imports image archives (docker save / OCI layout) into namespace k8s.io, as <c>k3s ctr images import</c> would.</summary>
    public async Task ImportAsync(string archive, CancellationToken cancellationToken)
    {
        var result = await HostCommand.RunAsync(Binary("ctr"), ["-a", Socket, "-n", "k8s.io", "images", "import", "--platform", "linux/amd64", archive], cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"ctr images import {archive} failed ({result.ExitCode}): {result.Output.Trim()}");
        }
    }

    /// <summary>The last lines of containerd's own log, for failure messages.</summary>
    public string Tail(int lines = 30)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        // Tasks first (their shims exit with them), then containerd, then whatever outlived it: shims of this socket, runc
        // containers under this node's runc root, mounts under its directory.
        var ctr = Binary("ctr");
        if (!_process.HasExited)
        {
            var tasks = await HostCommand.RunAsync(ctr, ["-a", Socket, "-n", "k8s.io", "tasks", "ls", "-q"], CancellationToken.None);
            foreach (var id in Lines(tasks.StdOut))
            {
                await HostCommand.RunAsync(ctr, ["-a", Socket, "-n", "k8s.io", "tasks", "kill", "-a", "-s", "SIGKILL", id], CancellationToken.None);
            }

            await HostCommand.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        foreach (var pid in ShimPids())
        {
            await HostCommand.RunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None);
        }

        var runcRoot = Path.Combine(RuncRoot, "k8s.io");
        if (System.IO.Directory.Exists(runcRoot))
        {
            var list = await HostCommand.RunAsync("runc", ["--root", runcRoot, "list", "-q"], CancellationToken.None);
            foreach (var id in Lines(list.StdOut))
            {
                await HostCommand.RunAsync("runc", ["--root", runcRoot, "delete", "-f", id], CancellationToken.None);
            }
        }

        foreach (var mount in MountsUnder(Directory))
        {
            await HostCommand.RunAsync("umount", ["-l", mount], CancellationToken.None);
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A mount that would not go away: left for the operator (the test names its directory).
        }
    }

    private static string Config(string dir) => $$"""
        version = 3
        root = "{{dir}}/root"
        state = "{{dir}}/state"
        temp = "{{dir}}/tmp"
        disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.erofs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

        [grpc]
          address = "{{dir}}/containerd.sock"
        [ttrpc]
          address = "{{dir}}/containerd.sock.ttrpc"
        [debug]
          address = "{{dir}}/debug.sock"
          level = "info"

        [plugins.'io.containerd.internal.v1.opt']
          path = "{{dir}}/opt"

        [plugins.'io.containerd.cri.v1.images']
          snapshotter = "overlayfs"
          [plugins.'io.containerd.cri.v1.images'.pinned_images]
            sandbox = "{{SandboxImage}}"

        [plugins.'io.containerd.cri.v1.runtime']
          # No CAP_SYS_RESOURCE in this sandbox: runc could not set the sandbox's oom_score_adj otherwise.
          restrict_oom_score_adj = true
          enable_selinux = false
          # Pod netns bind mounts under the state dir, not the host's /run/netns.
          netns_mounts_under_state_dir = true
          # Image VOLUMEs (redis: /data) stay in the rootfs, so the writable layer carries them.
          ignore_image_defined_volumes = true
          [plugins.'io.containerd.cri.v1.runtime'.containerd]
            default_runtime_name = "runc"
            [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
              runtime_type = "io.containerd.runc.v2"
              # A restored container carries org.criu.config (from status.dump) into its OCI spec: runc hands CRIU that config.
              container_annotations = ["org.criu.config"]
              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                SystemdCgroup = false
                Root = "{{dir}}/runc"
          [plugins.'io.containerd.cri.v1.runtime'.cni]
            bin_dirs = ["/usr/lib/cni"]
            conf_dir = "{{dir}}/cni/conf"
            max_conf_num = 1

        [plugins.'io.containerd.grpc.v1.cri']
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
        """;

    private static string CniConfig(string dir, string subnet) => $$"""
        { "cniVersion": "1.0.0", "name": "edgemigrate",
          "plugins": [
            { "type": "bridge", "bridge": "emcbr0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
              "ipam": { "type": "host-local", "ranges": [[{ "subnet": "{{subnet}}" }]], "routes": [{ "dst": "0.0.0.0/0" }], "dataDir": "{{dir}}/cni/ipam" } },
            { "type": "loopback" } ] }
        """;

    /// <summary>PIDs of shims started for this node's socket (they outlive containerd); found by their own command line.</summary>
    private IEnumerable<int> ShimPids()
    {
        var needle = $"-address {Socket}";
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (cmdline.Contains("containerd-shim", StringComparison.Ordinal) && cmdline.Contains(needle + " ", StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    private static IEnumerable<string> MountsUnder(string directory) =>
        File.ReadAllLines("/proc/self/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 2 && (f[1] == directory || f[1].StartsWith(directory + "/", StringComparison.Ordinal)))
            .Select(f => f[1])
            .Distinct()
            .OrderByDescending(m => m.Length)
            .ToList();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
