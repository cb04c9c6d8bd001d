using System.Diagnostics;

namespace EdgeMigrate.Bench.Migration;

/// <summary>Result of a host command.</summary>
public sealed record ShellResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs host tools (ip, runc, gcc, the netns script) and captures their output.</summary>
public static class Shell
{
    public static async Task<ShellResult> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new ShellResult(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> CheckedAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var list = args.ToList();
        var result = await RunAsync(file, list, cancellationToken);
        return result.Succeeded ? result.StdOut : throw new InvalidOperationException($"{file} {string.Join(' ', list)} failed ({result.ExitCode}): {result.StdErr.Trim()}");
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>The checkout (the folder holding scripts/netns-link.sh), found from the build output or the working directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "scripts", "netns-link.sh")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("scripts/netns-link.sh not found above the build output or the working directory");
    }
}
