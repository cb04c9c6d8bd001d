using System.Globalization;
using EdgeMigrate.Testing;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// The memhog sample (MIB MiB of page-aligned state, DIRTY random 64 KiB wasm pages rewritten per request) built with
/// its config compiled in (memhog-bench.c), with the flags of samples/wasm/build.sh: clang-14, wasm32-wasi reactor,
/// exported table and __stack_pointer.
/// </summary>
public static class MemhogModule
{
    public const int PageBytes = 64 * 1024;

    public static readonly string[] Tools = ["clang-14", "wasm-ld-14"];

    public static async Task<string> BuildAsync(string directory, int memoryMiB, int dirtyPagesPerRequest, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var module = Path.Combine(directory, "memhog.wasm");
        var samples = Path.Combine(RepositoryLayout.Root, "samples", "wasm");
        var config = string.Create(CultureInfo.InvariantCulture, $"-DMEMHOG_CONFIG=\"mib={memoryMiB} dirty={dirtyPagesPerRequest}\"");
        await HostCommand.CheckedAsync(
            "clang-14",
            ["--target=wasm32-wasi", "-O2", "-fuse-ld=lld", "-mexec-model=reactor", "-mmutable-globals", "-Wall", "-Werror",
             "-Wl,--export-table", "-Wl,--strip-debug", "-Wl,--export=__stack_pointer", "-I", samples, config,
             "-o", module, Path.Combine(AppContext.BaseDirectory, "memhog-bench.c")],
            cancellationToken);
        return module;
    }
}
