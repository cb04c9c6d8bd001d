using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeMigrate.EdgeAgent.Wasm;

namespace EdgeMigrate.Bench.Wasm;

/// <summary>
/// Live-migrates the memhog sample (x86-64 → x86-64, in process: chunks are encoded and decoded as on the
/// wire, but not sent over a network) while a client keeps sending requests at a fixed rate, and reports
/// per scenario: pre-copy rounds, pages/bytes per phase, the pause (freeze → target serving) and the total.
/// </summary>
internal static class WasmMigrationBench
{
    public static RootCommand Command()
    {
        var sizes = new Option<string>("--mib") { Description = "Linear memory sizes, MiB", DefaultValueFactory = _ => "16,128" };
        var dirty = new Option<string>("--dirty") { Description = "Pages dirtied per request", DefaultValueFactory = _ => "0,4,32" };
        var rate = new Option<int>("--rate") { Description = "Requests per second during the migration", DefaultValueFactory = _ => 100 };
        var repeats = new Option<int>("--repeats") { Description = "Runs per scenario (median reported)", DefaultValueFactory = _ => 3 };
        var stopPages = new Option<int>("--stop-pages") { Description = "Freeze when a round sends fewer pages than this", DefaultValueFactory = _ => 64 };
        var maxRounds = new Option<int>("--max-rounds") { Description = "Round cap before freezing anyway", DefaultValueFactory = _ => 8 };
        var root = new RootCommand("EdgeMigrate WebAssembly migration benchmark (pre-copy downtime and total time).")
        {
            sizes, dirty, rate, repeats, stopPages, maxRounds,
        };
        root.SetAction((parse, ct) => RunAsync(
            ParseList(parse.GetValue(sizes)!), ParseList(parse.GetValue(dirty)!), parse.GetValue(rate),
            parse.GetValue(repeats), parse.GetValue(stopPages), parse.GetValue(maxRounds), ct));
        return root;
    }

    private static int[] ParseList(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

    private static async Task<int> RunAsync(int[] sizes, int[] dirtyRates, int rate, int repeats, int stopPages, int maxRounds, CancellationToken ct)
    {
        var module = await BuildSamplesAsync(ct);
        using var host = new WasmHost();
        using var image = host.LoadModuleFile(module);
        Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}");
        Console.WriteLine($"# {rate} requests/s during migration; freeze when a round sends < {stopPages} pages or after {maxRounds} rounds; median of {repeats}");
        Console.WriteLine();
        Console.WriteLine("| memory | dirty pages/req | dirty MiB/s | rounds | round 0 | later rounds | final pages | pause (ms) | of which freeze capture (ms) | total (s) | stop-and-copy pause (ms) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var mib in sizes)
        {
            foreach (var dirty in dirtyRates)
            {
                var results = new List<Result>();
                for (var r = 0; r < repeats; r++)
                {
                    results.Add(await MigrateOnceAsync(image, mib, dirty, rate, stopPages, maxRounds, ct));
                }

                var stopAndCopy = new List<double>();
                for (var r = 0; r < repeats; r++)
                {
                    stopAndCopy.Add(await StopAndCopyOnceAsync(image, mib, dirty, ct));
                }

                var m = results.OrderBy(x => x.PauseMs).ElementAt(results.Count / 2);
                Console.WriteLine(FormattableString.Invariant(
                    $"| {mib} MiB | {dirty} | {dirty * rate / 16.0:F1} | {m.Rounds} | {m.Round0Pages} pages | {m.LaterPages} pages | {m.FinalPages} | {m.PauseMs:F1} | {m.FreezeMs:F1} | {m.TotalSeconds:F2} | {stopAndCopy.Order().ElementAt(stopAndCopy.Count / 2):F1} |"));
            }
        }

        return 0;
    }

    private sealed record Result(int Rounds, int Round0Pages, int LaterPages, int FinalPages, double PauseMs, double FreezeMs, double TotalSeconds);

    private static async Task<Result> MigrateOnceAsync(WasmModuleImage image, int mib, int dirty, int rate, int stopPages, int maxRounds, CancellationToken ct)
    {
        using var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { Config = Encoding.UTF8.GetBytes($"mib={mib} dirty={dirty}") }, ct);
        await source.HandleTextAsync("warm-up", ct);
        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var traffic = TrafficAsync(source, rate, stopTraffic.Token);

        var total = Stopwatch.StartNew();
        using var migration = source.BeginMigration();
        using var target = WasmMigrationTarget.Create(image, new WasmWorkloadOptions());
        var round0 = 0;
        var later = 0;
        for (var round = 0; round < maxRounds; round++)
        {
            var chunk = await migration.NextRoundAsync(ct);
            target.Apply(WasmStateChunk.Parse(chunk.ToArray())); // as on the wire
            if (round == 0)
            {
                round0 = chunk.Pages.Count;
            }
            else
            {
                later += chunk.Pages.Count;
            }

            if (round > 0 && chunk.Pages.Count < stopPages)
            {
                break;
            }
        }

        var pause = Stopwatch.StartNew();
        var final = await migration.FreezeAsync(ct);
        var freezeMs = pause.Elapsed.TotalMilliseconds;
        target.Apply(WasmStateChunk.Parse(final.ToArray()));
        using var restored = target.Activate();
        migration.Complete();
        await restored.HandleTextAsync("first request on the target", ct);
        var pauseMs = pause.Elapsed.TotalMilliseconds;
        total.Stop();

        await stopTraffic.CancelAsync();
        await traffic;
        return new Result(migration.Rounds.Count - 1, round0, later, final.Pages.Count, pauseMs, freezeMs, total.Elapsed.TotalSeconds);
    }

    /// <summary>The baseline: freeze first, then move everything.</summary>
    private static async Task<double> StopAndCopyOnceAsync(WasmModuleImage image, int mib, int dirty, CancellationToken ct)
    {
        using var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { Config = Encoding.UTF8.GetBytes($"mib={mib} dirty={dirty}") }, ct);
        await source.HandleTextAsync("warm-up", ct);
        var pause = Stopwatch.StartNew();
        using var migration = source.BeginMigration();
        using var target = WasmMigrationTarget.Create(image, new WasmWorkloadOptions());
        var final = await migration.FreezeAsync(ct);
        target.Apply(WasmStateChunk.Parse(final.ToArray()));
        using var restored = target.Activate();
        migration.Complete();
        await restored.HandleTextAsync("first request on the target", ct);
        return pause.Elapsed.TotalMilliseconds;
    }

    private static async Task TrafficAsync(WasmWorkload workload, int rate, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate), TimeProvider.System);
        var i = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                await workload.HandleTextAsync($"tick {i++}", ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WasmWorkloadMovedException)
        {
            // The request that waited at the gate during the pause: on the agent it would be redirected.
        }
    }

    private static async Task<string> BuildSamplesAsync(CancellationToken ct)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeMigrate.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("EdgeMigrate.sln not found");
        }

        var output = Path.Combine(AppContext.BaseDirectory, "wasm-samples");
        var info = new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(root, "samples", "wasm", "build.sh"), output } };
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0
            ? Path.Combine(output, "memhog.wasm")
            : throw new InvalidOperationException("samples/wasm/build.sh failed; run scripts/install-test-deps.sh");
    }
}
