using System.Globalization;
using System.Text.Json.Nodes;

namespace EdgeMigrate.EdgeAgent.Tests.Infrastructure;

/// <summary>
/// A tiny OCI bundle: a static C program (counter-workload.c, gcc -static) as the only file of the rootfs, the
/// way scripts/check-criu.sh builds its container but without a distribution rootfs. Writable root, stdio /dev/null.
/// </summary>
public static class CounterBundle
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _binary;

    public static async Task<string> CreateAsync(string directory, int memoryMiB, double dirtyMiBPerSecond, CancellationToken cancellationToken)
    {
        var binary = await CompileAsync(cancellationToken);
        var rootfs = Path.Combine(directory, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        File.Copy(binary, Path.Combine(rootfs, "counter"), overwrite: true);
        File.SetUnixFileMode(Path.Combine(rootfs, "counter"), (UnixFileMode)0b111_101_101);
        var spec = await HostCommand.RunAsync("runc", ["spec", "--bundle", directory], cancellationToken);
        Assert.True(spec.Succeeded, $"runc spec failed: {spec.StdErr}");
        var path = Path.Combine(directory, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))!.AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("/counter", memoryMiB.ToString(CultureInfo.InvariantCulture), dirtyMiBPerSecond.ToString(CultureInfo.InvariantCulture), "/tmp/state");
        config["root"]!["readonly"] = false;
        await File.WriteAllTextAsync(path, config.ToJsonString(), cancellationToken);
        return directory;
    }

    /// <summary>The workload's last line: counter and whether its memory check passed.</summary>
    public static (long Counter, string Check)? Read(string bundle)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(bundle, "rootfs", "tmp", "state")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var counter) ? (counter, parts[1]) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<string> CompileAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_binary is not null)
            {
                return _binary;
            }

            var output = Path.Combine(Path.GetTempPath(), $"em-counter-{Environment.ProcessId}");
            var source = Path.Combine(AppContext.BaseDirectory, "Container", "counter-workload.c");
            var gcc = await HostCommand.RunAsync("gcc", ["-O2", "-static", "-o", output, source], cancellationToken);
            Assert.True(gcc.Succeeded, $"gcc -static failed (libc6-dev needed; see scripts/install-test-deps.sh): {gcc.StdErr}");
            return _binary = output;
        }
        finally
        {
            Gate.Release();
        }
    }
}
