using System.Globalization;
using EdgeMigrate.Testing;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// The memhog sample (MIB MiB of page-aligned state, DIRTY random 64 KiB wasm pages rewritten per request), built by
/// samples/wasm/build.sh; each run gets its size and dirty rate through the agent's --wasm-config.
/// </summary>
public static class MemhogModule
{
    public const int PageBytes = 64 * 1024;

    public static readonly string[] Tools = ["clang-14", "wasm-ld-14", "wat2wasm"];

    /// <summary>Builds the samples into <paramref name="directory"/> and returns memhog's path.</summary>
    public static async Task<string> BuildAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        await HostCommand.CheckedAsync("bash", [Path.Combine(RepositoryLayout.Root, "samples", "wasm", "build.sh"), directory], cancellationToken);
        return Path.Combine(directory, "memhog.wasm");
    }

    /// <summary>memhog's em_init config (docs/wasm-workloads.md).</summary>
    public static string Config(int memoryMiB, int dirtyPagesPerRequest) =>
        string.Create(CultureInfo.InvariantCulture, $"mib={memoryMiB} dirty={dirtyPagesPerRequest}");
}
