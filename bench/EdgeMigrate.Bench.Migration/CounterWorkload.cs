using System.Globalization;
using System.Text.Json.Nodes;
using EdgeMigrate.Testing;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// The stateful workload (counter-workload.c, the agent tests' own source: MEM MiB of pseudo-random words, DIRTY MiB/s
/// rewritten one word per 4 KiB page, a counter every 100 ms, a full memory check every second) as an OCI bundle
/// whose rootfs holds only the static binary.
/// </summary>
public static class CounterWorkload
{
    public static async Task<string> CompileAsync(string directory, CancellationToken cancellationToken)
    {
        var binary = Path.Combine(directory, "counter");
        await HostCommand.CheckedAsync("gcc", ["-O2", "-static", "-o", binary, Path.Combine(AppContext.BaseDirectory, "counter-workload.c")], cancellationToken);
        return binary;
    }

    public static async Task<string> CreateBundleAsync(string binary, string directory, int memoryMiB, double dirtyMiBPerSecond, CancellationToken cancellationToken)
    {
        var rootfs = Path.Combine(directory, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
        File.Copy(binary, Path.Combine(rootfs, "counter"), overwrite: true);
        File.SetUnixFileMode(Path.Combine(rootfs, "counter"), (UnixFileMode)0b111_101_101);
        await HostCommand.CheckedAsync("runc", ["spec", "--bundle", directory], cancellationToken);
        var path = Path.Combine(directory, "config.json");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))!.AsObject();
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray("/counter", memoryMiB.ToString(CultureInfo.InvariantCulture), dirtyMiBPerSecond.ToString(CultureInfo.InvariantCulture), "/tmp/state");
        config["root"]!["readonly"] = false;
        await File.WriteAllTextAsync(path, config.ToJsonString(), cancellationToken);
        return directory;
    }
}
