using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Models;
using EdgeMigrate.Testing;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// For each engine, memory size and dirty rate: a fresh pair of namespaced agents, the workload (the counter container,
/// or the memhog wasm module) started on a, a pre-copy a → b and a stop-and-copy (container: b → a on the same pair;
/// wasm: a → b on a second fresh pair, so both rows cross the same way, x64 → arm64 included) over the same tbf link,
/// each measured by the silo (rounds, final delta, target-reported downtime), by the shaped veth's byte counter and
/// by a client. Next to each: the cost model's prediction and the lower bound (fixed freeze/restore cost measured at
/// dirty rate 0 + final delta ÷ bandwidth).
/// </summary>
public sealed partial class MigrationBenchmark(BenchOptions options, TextWriter output)
{
    private const double MiB = 1024 * 1024;
    private const long StopThresholdBytes = 4L * 1024 * 1024;
    private const int MaxRounds = 8;
    private readonly Dictionary<(BenchEngine, int), double> _fixedSeconds = [];
    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    private double Bandwidth => ParseRate(options.Rate);

    private string TargetLabel => options.Target == BenchTarget.Arm64 ? "x64 → arm64 (qemu-aarch64-static)" : "x64 → x64";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (options.Target == BenchTarget.Arm64 && options.Engines.Contains(BenchEngine.Container))
        {
            await output.WriteLineAsync("--engine container --target arm64 refused: a CRIU image holds x86-64 machine code and process state, so a container can only be restored on a node of the same architecture (the silo refuses such a migration, 422). Only --engine wasm can target arm64.");
            return 2;
        }

        var tools = new List<string> { "ip", "tc", "nsenter" };
        if (options.Engines.Contains(BenchEngine.Container))
        {
            tools.AddRange(["runc", "criu", "gcc"]);
        }

        if (options.Engines.Contains(BenchEngine.Wasm))
        {
            tools.AddRange(MemhogModule.Tools);
        }

        if (tools.FirstOrDefault(t => HostCommand.Which(t) is null) is { } missing)
        {
            await output.WriteLineAsync($"{missing} not found on PATH: run scripts/install-test-deps.sh (as root)");
            return 2;
        }

        AgentCommand? arm = null;
        if (options.Target == BenchTarget.Arm64)
        {
            try
            {
                Arm64Agent.RequireQemu();
                await output.WriteLineAsync("publishing the agent for linux-arm64 (cached by input hash) …");
                var published = await Arm64Agent.PublishAsync(ct);
                await output.WriteLineAsync($"arm64 agent: {published.Binary}{(published.PublishTime > TimeSpan.Zero ? $" (published in {published.PublishTime.TotalSeconds:0} s)" : " (cached)")}");
                arm = Arm64Agent.Command(published.Binary);
            }
            catch (InvalidOperationException ex)
            {
                await output.WriteLineAsync(ex.Message);
                return 2;
            }
        }

        var root = Directory.CreateTempSubdirectory("em-bench-migration-").FullName;
        NetnsLink? link = null;
        BenchSilo? silo = null;
        try
        {
            var binary = options.Engines.Contains(BenchEngine.Container) ? await CounterWorkload.CompileAsync(root, ct) : null;
            link = await NetnsLink.CreateAsync(options.Rate, ct);
            silo = await BenchSilo.StartAsync(Path.Combine(root, "silo"), TimeSpan.FromSeconds(options.MaxSecondsPerCombination), ct);
            await output.WriteLineAsync($"link {link.Name}: {link.LinkA} ⇄ {link.LinkB}, tbf {options.Rate} both ways; broker on the host legs {link.HostA} / {link.HostB}:{silo.MqttPort}");
            foreach (var combination in Combinations())
            {
                var predicted = Predict(combination, MigrationMode.PreCopy).TotalSeconds + Predict(combination, MigrationMode.StopAndCopy).TotalSeconds;
                if (predicted > options.MaxSecondsPerCombination)
                {
                    Note($"skipped {combination.Engine} {combination}: the model predicts {predicted:0} s for both migrations (limit {options.MaxSecondsPerCombination:0} s)");
                    continue;
                }

                await RunCombinationAsync(link, silo, combination, binary, arm, root, ct);
            }
        }
        finally
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            if (link is not null)
            {
                await link.DisposeAsync();
            }

            Directory.Delete(root, recursive: true);
        }

        var tables = string.Join(Environment.NewLine, options.Engines.Select(Render));
        await output.WriteLineAsync();
        await output.WriteLineAsync(tables);
        if (!string.IsNullOrEmpty(options.Markdown))
        {
            await File.WriteAllTextAsync(options.Markdown, tables, ct);
        }

        return 0;
    }

    /// <summary>Engine by engine, size by size, the 0 dirty rate first (it calibrates the fixed cost).</summary>
    private IEnumerable<Combination> Combinations() => options.Engines.SelectMany(engine => options.MemoryFor(engine).SelectMany(memory => engine == BenchEngine.Wasm
        ? options.DirtyPagesPerRequest.Order().Select(p => new Combination(engine, memory, p * (double)MemhogModule.PageBytes * options.RequestsPerSecond / MiB, p))
        : options.DirtyMiBPerSecond.Order().Select(d => new Combination(engine, memory, d, 0))));

    private async Task RunCombinationAsync(NetnsLink link, BenchSilo silo, Combination combination, string? binary, AgentCommand? arm, string root, CancellationToken ct)
    {
        var dir = Path.Combine(root, combination.ServiceId(string.Empty));
        try
        {
            if (combination.Engine == BenchEngine.Container)
            {
                var serviceId = combination.ServiceId(string.Empty);
                var bundle = await CounterWorkload.CreateBundleAsync(binary!, Path.Combine(dir, "bundle"), combination.MemoryMiB, combination.DirtyMiBPerSecond, ct);
                await using var pair = await AgentPair.StartAsync(link, silo, combination, serviceId, bundle, dir, null, options.RequestsPerSecond, ct);
                await MeasureAsync(pair, combination, async () =>
                {
                    await output.WriteLineAsync($"{combination}: pre-copy {pair.A.NodeId} → {pair.B.NodeId} …");
                    var pre = await MigrateAsync(silo, link, pair, serviceId, pair.B.NodeId, 'a', 1, MigrationMode.PreCopy, ct);
                    if (!Record(combination, MigrationMode.PreCopy, pre, pair))
                    {
                        return;
                    }

                    await AgentPair.WaitAsync(() => Task.FromResult(pair.Probe.Counter > pre.CounterAfter + 30), TimeSpan.FromSeconds(60), "the workload to run on the target", ct);
                    await output.WriteLineAsync($"{combination}: stop-and-copy {pair.B.NodeId} → {pair.A.NodeId} …");
                    var stop = await MigrateAsync(silo, link, pair, serviceId, pair.A.NodeId, 'b', 0, MigrationMode.StopAndCopy, ct);
                    Record(combination, MigrationMode.StopAndCopy, stop, pair);
                });
                return;
            }

            var module = await MemhogModule.BuildAsync(Path.Combine(dir, "module"), ct);
            foreach (var mode in new[] { MigrationMode.PreCopy, MigrationMode.StopAndCopy })
            {
                // A fresh pair per mode: the wasm service always starts on x64 a, so both rows cross x64 → b.
                var serviceId = combination.ServiceId(mode == MigrationMode.PreCopy ? "-pre" : "-stop");
                await using var pair = await AgentPair.StartAsync(link, silo, combination, serviceId, module, Path.Combine(dir, serviceId), arm, options.RequestsPerSecond, ct);
                await MeasureAsync(pair, combination, async () =>
                {
                    await output.WriteLineAsync($"{combination}: {Name(mode)} {pair.A.NodeId} → {pair.B.NodeId} …");
                    Record(combination, mode, await MigrateAsync(silo, link, pair, serviceId, pair.B.NodeId, 'a', 1, mode, ct), pair);
                });
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            Note($"{combination.Engine} {combination} failed: {ex.Message}");
        }
    }

    /// <summary>Runs the migrations of one pair; a timeout or refusal becomes a note with both agents' last lines.</summary>
    private async Task MeasureAsync(AgentPair pair, Combination combination, Func<Task> migrations)
    {
        try
        {
            await migrations();
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
        {
            Note($"{combination.Engine} {combination} failed: {ex.Message}\n{pair.Tails()}");
        }
    }

    private async Task<Measured> MigrateAsync(BenchSilo silo, NetnsLink link, AgentPair pair, string serviceId, string target, char sender, int targetNode, MigrationMode mode, CancellationToken ct)
    {
        var probe = pair.Probe;
        var txBefore = await link.TxBytesAsync(sender, ct);
        probe.Begin(targetNode);
        var started = TimeProvider.System.GetTimestamp();
        var plan = await silo.PostAsync($"/api/services/{serviceId}/migrate", new
        {
            targetNodeId = target,
            mode = Name(mode),
            reason = "benchmark",
            limits = new { maxRounds = MaxRounds, stopThresholdBytes = StopThresholdBytes, maxMbps = 0 },
        }, ct);
        var id = plan.GetProperty("plan").GetProperty("migrationId").GetString()!;
        JsonElement snapshot = default;
        await AgentPair.WaitAsync(
            async () =>
            {
                snapshot = await silo.GetAsync($"/api/migrations/{id}", ct);
                return snapshot.GetProperty("state").GetString() is "committed" or "rolled-back" or "failed";
            },
            TimeSpan.FromSeconds(options.MaxSecondsPerCombination),
            $"migration {id} to end",
            ct);
        var committedAfter = TimeProvider.System.GetElapsedTime(started);
        await AgentPair.WaitAsync(() => Task.FromResult(probe.Current.SwitchGap is not null || snapshot.GetProperty("state").GetString() != "committed"), TimeSpan.FromSeconds(30), "the client to see the target", ct);
        var window = probe.Current;
        var notes = snapshot.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("note").GetString() ?? string.Empty).ToList();
        var finalDelta = notes.Select(n => FinalDelta().Match(n)).Where(m => m.Success).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).LastOrDefault();
        return new Measured
        {
            State = snapshot.GetProperty("state").GetString()!,
            Error = snapshot.TryGetProperty("error", out var e) ? e.GetString() : null,
            Rounds = snapshot.GetProperty("rounds").GetInt32(),
            WireBytes = await link.TxBytesAsync(sender, ct) - txBefore,
            FinalDeltaBytes = finalDelta,
            DowntimeMs = snapshot.TryGetProperty("downtimeMs", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : double.NaN,
            ClientPauseMs = window.SwitchGap?.TotalMilliseconds ?? double.NaN,
            LongestLivePauseMs = window.LongestOtherPause.TotalMilliseconds,
            SwitchSeconds = window.SwitchedAfter?.TotalSeconds ?? double.NaN,
            CommittedSeconds = committedAfter.TotalSeconds,
            CounterAfter = probe.Counter,
            Corrupt = window.Corrupt,
        };
    }

    /// <summary>Adds the row; false (with a note and the source's log) when the migration did not commit.</summary>
    private bool Record(Combination c, MigrationMode mode, Measured m, AgentPair pair)
    {
        if (mode == MigrationMode.PreCopy && c.DirtyMiBPerSecond == 0 && m.State == "committed" && !_fixedSeconds.ContainsKey((c.Engine, c.MemoryMiB)))
        {
            // The fixed freeze/restore cost: what the 0-dirty downtime spends beyond sending its (tiny) final delta.
            _fixedSeconds[(c.Engine, c.MemoryMiB)] = (m.DowntimeMs / 1000) - (m.FinalDeltaBytes / Bandwidth);
        }

        _rows.Add(new Row(c, mode, m));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {m.State}: {m.Rounds} live rounds, {m.WireBytes / MiB:0.0} MiB on the wire, final delta {m.FinalDeltaBytes / MiB:0.00} MiB, downtime {m.DowntimeMs:0} ms (client {m.ClientPauseMs:0} ms), running on the target after {m.SwitchSeconds:0.0} s; longest live pause {m.LongestLivePauseMs:0} ms{(m.Corrupt is null ? string.Empty : $"; CORRUPT: {m.Corrupt}")}"));
        if (m.State != "committed")
        {
            Note($"{c.Engine} {c} {Name(mode)} ended {m.State} ({m.Error}); agent logs:\n{pair.Tails()}");
            return false;
        }

        return true;
    }

    private MigrationCostEstimate Predict(Combination c, MigrationMode mode) => PreCopyCostModel.Estimate(new MigrationCostParameters
    {
        MemoryBytes = c.MemoryMiB * MiB,
        BandwidthBytesPerSecond = Bandwidth,
        DirtyRateBytesPerSecond = c.DirtyMiBPerSecond * MiB,
        Mode = mode,
        StopThresholdBytes = StopThresholdBytes,
        MaxRounds = MaxRounds,
        // Until the 0-dirty run has measured it, a guess from the loopback tests (CRIU dump + restore of a small
        // process; a wasm capture + restore, slower under qemu).
        FixedDowntimeSeconds = _fixedSeconds.TryGetValue((c.Engine, c.MemoryMiB), out var f) ? f
            : c.Engine == BenchEngine.Container ? 3 : options.Target == BenchTarget.Arm64 ? 2 : 0.5,
    });

    private string Render(BenchEngine engine)
    {
        var rows = _rows.Where(r => r.Combination.Engine == engine).ToList();
        var fixedCosts = _fixedSeconds.Where(kv => kv.Key.Item1 == engine).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key.Item2} MiB → {kv.Value * 1000:0} ms")).ToList();
        var s = new StringBuilder();
        s.AppendLine(engine == BenchEngine.Container
            ? "Container (counter workload, runc + CRIU), x64 → x64. Pre-copy a → b, then stop-and-copy b → a on the same pair."
            : string.Create(CultureInfo.InvariantCulture, $"WebAssembly (memhog, Wasmtime), {TargetLabel}. {options.RequestsPerSecond:0} requests/s, one outstanding; dirty MiB/s = pages per request × 64 KiB × {options.RequestsPerSecond:0}/s. Pre-copy and stop-and-copy each on a fresh pair, a → b."));
        s.AppendLine(CultureInfo.InvariantCulture, $"Link: tbf {options.Rate} ({Bandwidth / 1e6:0.00} MB/s) both ways between two network namespaces; stop threshold {StopThresholdBytes / MiB:0} MiB, round cap {MaxRounds}.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Fixed freeze/restore cost F (pre-copy at 0 MiB/s: downtime − final delta ÷ bandwidth): {(fixedCosts.Count == 0 ? "not measured (no 0 MiB/s run), so no lower bound" : string.Join(", ", fixedCosts))}.");
        s.AppendLine();
        s.AppendLine("| MiB | dirty MiB/s | mode | result | live rounds | on the wire MiB | final delta MiB | downtime ms (target) | client pause ms | longest live pause ms | running on target after s | model downtime ms | model total s | lower bound ms | downtime ÷ bound | stop-and-copy ÷ pre-copy downtime |");
        s.AppendLine("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            var m = row.Measured;
            var c = row.Combination;
            var model = Predict(c, row.Mode);
            var bound = _fixedSeconds.TryGetValue((c.Engine, c.MemoryMiB), out var f) ? (f + (m.FinalDeltaBytes / Bandwidth)) * 1000 : double.NaN;
            var ratio = string.Empty;
            if (row.Mode == MigrationMode.PreCopy && rows.FirstOrDefault(r => r.Combination == c && r.Mode == MigrationMode.StopAndCopy) is { } sc)
            {
                ratio = string.Create(CultureInfo.InvariantCulture, $"{sc.Measured.DowntimeMs / m.DowntimeMs:0.00}×");
            }

            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {c.MemoryMiB} | {c.DirtyLabel} | {Name(row.Mode)} | {m.State} | {m.Rounds} | {m.WireBytes / MiB:0.0} | {m.FinalDeltaBytes / MiB:0.00} | {m.DowntimeMs:0} | {m.ClientPauseMs:0} | {m.LongestLivePauseMs:0} | {m.SwitchSeconds:0.0} | {model.DowntimeSeconds * 1000:0} | {model.TotalSeconds:0.0} | {bound:0} | {m.DowntimeMs / bound:0.00} | {ratio} |");
        }

        foreach (var corrupt in rows.Where(r => r.Measured.Corrupt is not null))
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"CORRUPT ({corrupt.Combination}, {Name(corrupt.Mode)}): {corrupt.Measured.Corrupt}");
        }

        foreach (var note in _notes.Where(n => n.Contains(engine.ToString(), StringComparison.Ordinal)))
        {
            s.AppendLine();
            s.AppendLine(note);
        }

        return s.ToString();
    }

    private void Note(string note)
    {
        _notes.Add(note);
        output.WriteLine(note);
    }

    private static string Name(MigrationMode mode) => mode == MigrationMode.PreCopy ? "pre-copy" : "stop-and-copy";

    /// <summary>tc's rate syntax (e.g. 100mbit, 20mbit, 1gbit) in bytes per second.</summary>
    private static double ParseRate(string rate)
    {
        var match = Rate().Match(rate);
        if (!match.Success)
        {
            throw new ArgumentException($"--rate {rate}: expected e.g. 100mbit");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var scale = match.Groups[2].Value.ToLowerInvariant() switch { "k" => 1e3, "m" => 1e6, "g" => 1e9, _ => 1 };
        return value * scale / 8;
    }

    [GeneratedRegex(@"final delta (\d+) B")]
    private static partial Regex FinalDelta();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)([kmgKMG]?)bit$")]
    private static partial Regex Rate();

    private sealed record Row(Combination Combination, MigrationMode Mode, Measured Measured);

    private sealed record Measured
    {
        public required string State { get; init; }
        public string? Error { get; init; }
        public int Rounds { get; init; }
        public long WireBytes { get; init; }
        public long FinalDeltaBytes { get; init; }
        public double DowntimeMs { get; init; }
        public double ClientPauseMs { get; init; }
        public double LongestLivePauseMs { get; init; }
        public double SwitchSeconds { get; init; }
        public double CommittedSeconds { get; init; }
        public long CounterAfter { get; init; }
        public string? Corrupt { get; init; }
    }
}
