using System.CommandLine;

namespace EdgeMigrate.Bench.Migration;

/// <summary>The harness's options.</summary>
public static class BenchCommandLine
{
    public static RootCommand Create(Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var memory = new Option<int[]>("--memory") { Description = "Workload memory sizes, MiB", DefaultValueFactory = _ => [64, 256], AllowMultipleArgumentsPerToken = true };
        var dirty = new Option<double[]>("--dirty") { Description = "Dirty rates, MiB/s (0 first: it calibrates the fixed freeze/restore cost)", DefaultValueFactory = _ => [0, 4, 16], AllowMultipleArgumentsPerToken = true };
        var rate = new Option<string>("--rate") { Description = "tbf rate of the agent-to-agent link", DefaultValueFactory = _ => "100mbit" };
        var maxSeconds = new Option<double>("--max-seconds") { Description = "Skip a memory/dirty combination whose predicted pre-copy + stop-and-copy time exceeds this", DefaultValueFactory = _ => 240 };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the result table to this file" };
        var root = new RootCommand("Container migration over a tbf-shaped link between two namespaced edge agents: pre-copy vs stop-and-copy, measured and modelled. Root, runc, CRIU, gcc, iproute2 required.")
        {
            memory, dirty, rate, maxSeconds, markdown,
        };
        root.SetAction((result, ct) => run(
            new BenchOptions
            {
                MemoryMiB = result.GetValue(memory)!,
                DirtyMiBPerSecond = result.GetValue(dirty)!,
                Rate = result.GetValue(rate)!,
                MaxSecondsPerCombination = result.GetValue(maxSeconds),
                Markdown = result.GetValue(markdown),
            },
            ct));
        return root;
    }
}
