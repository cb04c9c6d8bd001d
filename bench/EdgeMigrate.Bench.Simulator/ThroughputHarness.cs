using System.Diagnostics;
using System.Globalization;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Bench;

/// <summary>
/// A plain Stopwatch harness: whole simulations are seconds long, so BenchmarkDotNet's statistics add little
/// beyond a warm-up run and a best-of-N. Prints Markdown tables for bench/RESULTS.md: the policies compared (default
/// the four of issue 16: never, reactive, distance, greedy-oracle), then the offline optimum on its own (its search is
/// reported separately), each with 1 thread and with all cores, and the process's peak memory.
/// Usage: [devices...] [--mobility gauss-markov] [--policies LIST] [--duration 10m] [--repeat N] [--threads N,M]
/// </summary>
internal static class ThroughputHarness
{
    public static int Run(string[] args)
    {
        var sizes = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
        if (sizes.Count == 0)
        {
            sizes = [1_000, 10_000, 100_000];
        }

        var mobility = Value(args, "--mobility") ?? "gauss-markov";
        var policies = Value(args, "--policies") ?? "never,reactive,distance,greedy-oracle";
        var duration = Value(args, "--duration") ?? "10m";
        var repeat = int.Parse(Value(args, "--repeat") ?? "3", CultureInfo.InvariantCulture);
        var threads = (Value(args, "--threads") ?? $"1,{Environment.ProcessorCount}").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).Distinct().ToArray();
        var withOptimum = !args.Contains("--no-optimum");

        // Warm-up: JIT and tiered compilation off the clock.
        Measure(mobility, 300, "2m", policies + ",optimum", Environment.ProcessorCount);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mobility}, 5 km x 5 km, hex:500 sites, 1 s steps, best of {repeat} (one run at 100k); {Environment.ProcessorCount} cores"));
        foreach (var set in withOptimum ? new[] { policies, "optimum" } : [policies])
        {
            Console.WriteLine();
            Console.WriteLine($"policies {set}:");
            Console.WriteLine();
            Console.WriteLine("| devices | threads | simulated | wall (s) | of which optimum search (s) | events/s | device-seconds per wall-second | peak working set (MiB) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var devices in sizes)
            {
                foreach (var workers in threads)
                {
                    var best = Enumerable.Range(0, devices >= 100_000 ? 1 : repeat).Select(_ => Measure(mobility, devices, duration, set, workers)).MinBy(m => m.Wall);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {devices:N0} | {workers} | {best.Simulated:0} s | {best.Wall:0.00} | {(best.Optimum is { } o ? o.ToString("0.00", CultureInfo.InvariantCulture) : "–")} | {best.Events / best.Wall:N0} | {devices * best.Simulated / best.Wall:N0} | {best.PeakMiB:N0} |"));
                }
            }
        }

        return 0;
    }

    private static (double Wall, long Events, double Simulated, double? Optimum, double PeakMiB) Measure(string mobility, int devices, string duration, string policies, int threads)
    {
        var spec = new ScenarioSpec
        {
            Seed = 1,
            Duration = duration,
            Mobility = new MobilitySpec { Kind = mobility, Devices = devices },
            Sites = "hex:500",
            Policies = [.. policies.Split(',')],
        };
        var prepared = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory);
        prepared = prepared with { Settings = prepared.Settings with { Parallelism = threads, RecordMigrations = false } };
        var engine = prepared.CreateEngine();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var result = engine.Run();
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        return (clock.Elapsed.TotalSeconds, result.Summary.Events, result.Summary.SimulatedSeconds, result.Summary.Optimum?.SolveSeconds, process.PeakWorkingSet64 / 1048576.0);
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
