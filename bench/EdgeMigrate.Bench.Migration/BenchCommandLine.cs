using System.CommandLine;

namespace EdgeMigrate.Bench.Migration;

/// <summary>The harness's options.</summary>
public static class BenchCommandLine
{
    public static RootCommand Create(Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var engine = new Option<BenchEngine[]>("--engine") { Description = "What to migrate: container (runc + CRIU), wasm (memhog under Wasmtime), or both (one table each)", DefaultValueFactory = _ => [BenchEngine.Container], AllowMultipleArgumentsPerToken = true };
        var target = new Option<BenchTarget>("--target") { Description = "Architecture of agent b: x64, or arm64 (the linux-arm64 agent under qemu-aarch64-static; wasm only)", DefaultValueFactory = _ => BenchTarget.X64 };
        var memory = new Option<int[]>("--memory") { Description = "Workload memory sizes, MiB (default: 64 256 for container, 16 128 for wasm)", AllowMultipleArgumentsPerToken = true };
        var dirty = new Option<double[]>("--dirty") { Description = "Container dirty rates, MiB/s (0 first: it calibrates the fixed freeze/restore cost)", DefaultValueFactory = _ => [0, 4, 16], AllowMultipleArgumentsPerToken = true };
        var dirtyPages = new Option<int[]>("--dirty-pages") { Description = "Wasm dirty rates: 64 KiB pages rewritten per request (MiB/s = pages × 64 KiB × --requests-per-second)", DefaultValueFactory = _ => [0, 1, 8], AllowMultipleArgumentsPerToken = true };
        var requestRate = new Option<double>("--requests-per-second") { Description = "Wasm: requests per second the client sends to the node that hosts the service", DefaultValueFactory = _ => 100 };
        var rate = new Option<string>("--rate") { Description = "tbf rate of the agent-to-agent link", DefaultValueFactory = _ => "100mbit" };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Skip a memory/dirty combination whose predicted pre-copy + stop-and-copy time exceeds this", DefaultValueFactory = _ => 240 };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the result tables to this file" };
        var containerd = new Option<bool>("--containerd-comparison") { Description = "Instead of the matrix: the same redis workload as a CRI container on containerd 2.1 nodes (containerd engine) and as the agent's runc container (container engine), each checkpointed and restored locally and migrated pre-copy a → b; needs install-test-deps.sh component containerd" };
        var root = new RootCommand("Migration over a tbf-shaped link between two namespaced edge agents: pre-copy vs stop-and-copy of a runc container or a WebAssembly module (x64 → x64, or x64 → arm64 under qemu for wasm), measured and modelled. Root, iproute2; runc, CRIU, gcc for containers; clang-14/wasi for wasm; qemu-user-static for arm64.")
        {
            engine, target, memory, dirty, dirtyPages, requestRate, rate, maxSeconds, markdown, containerd,
        };
        root.SetAction((result, ct) => run(
            new BenchOptions
            {
                Engines = [.. result.GetValue(engine)!.Distinct()],
                Target = result.GetValue(target),
                MemoryMiB = result.GetValue(memory) is { Length: > 0 } m ? m : null,
                DirtyMiBPerSecond = result.GetValue(dirty)!,
                DirtyPagesPerRequest = result.GetValue(dirtyPages)!,
                RequestsPerSecond = result.GetValue(requestRate),
                Rate = result.GetValue(rate)!,
                MaxSecondsPerCombination = result.GetValue(maxSeconds),
                Markdown = result.GetValue(markdown),
                ContainerdComparison = result.GetValue(containerd),
            },
            ct));
        return root;
    }
}
