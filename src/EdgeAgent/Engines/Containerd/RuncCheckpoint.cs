using System.Diagnostics;
using EdgeMigrate.EdgeAgent.Engines.Criu;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// A leave-running CRIU dump of a container that containerd's shim runs, by an external <c>runc</c> on the shim's own
/// runc root: containerd keeps managing the task (verified with containerd 2.1.9). A paused task stays paused. The TCP
/// policy comes from a CRIU config file named in <c>CRIU_CONFIG_FILE</c>, which CRIU reads in runc's RPC mode too
/// (runc 1.1 has no tcp-close flag).
/// </summary>
public static class RuncCheckpoint
{
    public static async Task DumpAsync(string runcRoot, string containerId, string imagePath, string workPath, string criuConfigFile, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(imagePath);
        Directory.CreateDirectory(workPath);
        var info = new ProcessStartInfo("runc") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--root", runcRoot, "checkpoint", "--leave-running", "--image-path", imagePath, "--work-path", workPath, containerId])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CRIU_CONFIG_FILE"] = criuConfigFile;
        using var process = Process.Start(info) ?? throw new ContainerdException("could not start runc");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdout;
        var error = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            var cause = CriuLog.CauseIn(Path.Combine(workPath, "dump.log"));
            throw new ContainerdException($"runc checkpoint of {Short(containerId)} failed (exit {process.ExitCode}): {cause ?? LastLine(error)}");
        }
    }

    internal static string Short(string containerId) => containerId.Length > 12 ? containerId[..12] : containerId;

    private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no output";
}
