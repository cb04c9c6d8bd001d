using System.Diagnostics;

namespace EdgeMigrate.Testing;

/// <summary>Runs host tools (ip, tc, runc, gcc, clang, qemu, dotnet publish, the netns script) and captures their output: the one process runner of the tests.</summary>
public static class HostCommand
{
    public static async Task<HostCommandResult> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = TimeProvider.System.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // A cancelled publish or build must not outlive the caller.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new HostCommandResult(process.ExitCode, await stdout, await stderr, TimeProvider.System.GetElapsedTime(started));
    }

    /// <summary>Runs the command and returns its stdout; a non-zero exit throws with its stderr.</summary>
    public static async Task<string> CheckedAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var list = args.ToList();
        var result = await RunAsync(file, list, cancellationToken);
        return result.Succeeded ? result.StdOut : throw new InvalidOperationException($"{file} {string.Join(' ', list)} failed ({result.ExitCode}): {result.StdErr.Trim()}");
    }

    /// <summary>The executable <paramref name="name"/> on PATH (or the absolute path, if it exists); null when missing.</summary>
    public static string? Which(string name) =>
        Path.IsPathRooted(name)
            ? (File.Exists(name) ? name : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
