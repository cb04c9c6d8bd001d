using System.Text.Json;

namespace EdgeMigrate.EdgeAgent.Engines.Container;

/// <summary>
/// runc with this agent's state root. Containers are started and restored detached with stdio on /dev/null
/// (CRIU cannot dump fds of host files outside the container's mounts) and runc's own log in a file.
/// </summary>
public sealed class Runc(string root, string logDirectory)
{
    public string Root { get; } = root;

    public async Task RunDetachedAsync(string containerId, string bundle, CancellationToken cancellationToken)
    {
        var log = LogFile("run", containerId);
        var result = await DetachedAsync(["--root", Root, "--log", log, "run", "-d", "--bundle", bundle, containerId], cancellationToken);
        if (!result.Succeeded)
        {
            throw new RuncException($"runc run {containerId} failed (exit {result.ExitCode}): {Tail(log)}");
        }
    }

    public async Task RestoreDetachedAsync(string containerId, string bundle, string imagePath, string workPath, CancellationToken cancellationToken)
    {
        var log = LogFile("restore", containerId);
        Directory.CreateDirectory(workPath);
        var result = await DetachedAsync(["--root", Root, "--log", log, "restore", "-d", "--bundle", bundle, "--image-path", imagePath, "--work-path", workPath, containerId], cancellationToken);
        if (!result.Succeeded)
        {
            throw new RuncException($"runc restore {containerId} failed (exit {result.ExitCode}): {Tail(log)} {Tail(Path.Combine(workPath, "restore.log"))}");
        }
    }

    /// <summary>A CRIU dump through runc. <paramref name="leaveRunning"/> keeps the container (running, or paused if it was).</summary>
    public async Task CheckpointAsync(string containerId, string imagePath, string workPath, bool leaveRunning, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(imagePath);
        Directory.CreateDirectory(workPath);
        List<string> args = ["--root", Root, "checkpoint", "--image-path", imagePath, "--work-path", workPath];
        if (leaveRunning)
        {
            args.Add("--leave-running");
        }

        args.Add(containerId);
        var result = await ProcessRunner.RunAsync("runc", args, cancellationToken);
        if (!result.Succeeded)
        {
            throw new RuncException($"runc checkpoint {containerId} failed (exit {result.ExitCode}): {result.StdErr.Trim()} {Tail(Path.Combine(workPath, "dump.log"))}");
        }
    }

    public Task PauseAsync(string containerId, CancellationToken cancellationToken) => SimpleAsync(cancellationToken, "pause", containerId);

    public Task ResumeAsync(string containerId, CancellationToken cancellationToken) => SimpleAsync(cancellationToken, "resume", containerId);

    public Task DeleteAsync(string containerId, CancellationToken cancellationToken) => SimpleAsync(cancellationToken, "delete", "-f", containerId);

    /// <summary>"running", "paused", "stopped", "created", or null when runc does not know the container.</summary>
    public async Task<string?> StatusAsync(string containerId, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("runc", ["--root", Root, "state", containerId], cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(result.StdOut);
        return doc.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    public async Task<IReadOnlyList<(string Id, string Status)>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("runc", ["--root", Root, "list", "--format", "json"], cancellationToken);
        if (!result.Succeeded || string.IsNullOrWhiteSpace(result.StdOut) || result.StdOut.Trim() == "null")
        {
            return [];
        }

        using var doc = JsonDocument.Parse(result.StdOut);
        return [.. doc.RootElement.EnumerateArray().Select(e => (e.GetProperty("id").GetString() ?? "", e.GetProperty("status").GetString() ?? ""))];
    }

    private async Task SimpleAsync(CancellationToken cancellationToken, params string[] args)
    {
        var result = await ProcessRunner.RunAsync("runc", ["--root", Root, .. args], cancellationToken);
        if (!result.Succeeded)
        {
            throw new RuncException($"runc {string.Join(' ', args)} failed (exit {result.ExitCode}): {result.StdErr.Trim()}");
        }
    }

    private static Task<ProcessResult> DetachedAsync(string[] runcArgs, CancellationToken cancellationToken) =>
        // The container inherits runc's stdio: /dev/null, never our pipes (a detached container would hold them open).
        ProcessRunner.RunAsync("/bin/sh", ["-c", "exec runc \"$@\" </dev/null >/dev/null 2>&1", "runc", .. runcArgs], cancellationToken, captureOutput: false);

    private string LogFile(string what, string containerId)
    {
        Directory.CreateDirectory(logDirectory);
        return Path.Combine(logDirectory, $"runc-{what}-{containerId}.log");
    }

    private static string Tail(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        var lines = File.ReadAllLines(path);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 6)));
    }
}
