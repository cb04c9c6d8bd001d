using System.Diagnostics;
using System.Globalization;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Bench;

/// <summary>
/// A plain Stopwatch harness: whole simulations are seconds long, so BenchmarkDotNet's statistics add little
/// beyond a warm-up run and a best-of-N. Prints a Markdown table for bench/RESULTS.md.
/// Usage: [devices...] [--policies LIST] [--duration 10m] [--repeat N]
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

        var policies = Value(args, "--policies") ?? "never,reactive,distance,oracle";
        var duration = Value(args, "--duration") ?? "10m";
        var repeat = int.Parse(Value(args, "--repeat") ?? "3", CultureInfo.InvariantCulture);

        // Warm-up: JIT and tiered compilation off the clock.
        Measure(200, "2m", policies);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"random waypoint, 5 km x 5 km, hex:500 sites, 1 s steps, policies {policies}, best of {repeat}"));
        Console.WriteLine();
        Console.WriteLine("| devices | simulated | wall (s) | events | events/s | speed-up (sim/wall) | device-steps/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var devices in sizes)
        {
            var best = Enumerable.Range(0, devices >= 100_000 ? 1 : repeat).Select(_ => Measure(devices, duration, policies)).MinBy(m => m.Wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {devices:N0} | {best.Simulated:0} s | {best.Wall:0.00} | {best.Events:N0} | {best.Events / best.Wall:N0} | {best.Simulated / best.Wall:N0}x | {devices * best.Simulated / best.Wall:N0} |"));
        }

        return 0;
    }

    private static (double Wall, long Events, double Simulated) Measure(int devices, string duration, string policies)
    {
        var spec = new ScenarioSpec
        {
            Seed = 1,
            Duration = duration,
            Mobility = new MobilitySpec { Kind = "random-waypoint", Devices = devices },
            Sites = "hex:500",
            Policies = [.. policies.Split(',')],
        };
        var prepared = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory);
        var engine = prepared.CreateEngine();
        var clock = Stopwatch.StartNew();
        var result = engine.Run();
        clock.Stop();
        return (clock.Elapsed.TotalSeconds, result.Summary.Events, result.Summary.SimulatedSeconds);
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
