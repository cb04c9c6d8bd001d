using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Models;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// For each memory size and dirty rate: a fresh pair of namespaced agents, the counter workload started on a, a
/// pre-copy a → b and then a stop-and-copy b → a over the same tbf link, each measured by the silo (rounds, final
/// delta, target-reported downtime), by the shaped veth's byte counter and by a client probe. Next to each: the
/// cost model's prediction and the lower bound (fixed freeze/restore cost measured at dirty rate 0 + final delta ÷
/// bandwidth).
/// </summary>
public sealed partial class MigrationBenchmark(BenchOptions options, TextWriter output)
{
    private const double MiB = 1024 * 1024;
    private const int TransferPort = 7701;
    private const long StopThresholdBytes = 4L * 1024 * 1024;
    private const int MaxRounds = 8;
    private readonly Dictionary<int, double> _fixedSeconds = [];
    private readonly List<Row> _rows = [];
    private readonly List<string> _notes = [];

    private double Bandwidth => ParseRate(options.Rate);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        foreach (var tool in new[] { "runc", "criu", "gcc", "ip", "tc", "nsenter" })
        {
            if (Shell.Which(tool) is null)
            {
                await output.WriteLineAsync($"{tool} not found on PATH: run scripts/install-test-deps.sh (as root)");
                return 2;
            }
        }

        var root = Directory.CreateTempSubdirectory("em-bench-migration-").FullName;
        NetnsLink? link = null;
        BenchSilo? silo = null;
        try
        {
            var binary = await CounterWorkload.CompileAsync(root, ct);
            link = await NetnsLink.CreateAsync(options.Rate, ct);
            silo = await BenchSilo.StartAsync(Path.Combine(root, "silo"), TimeSpan.FromSeconds(options.MaxSecondsPerCombination), ct);
            await output.WriteLineAsync($"link {link.Name}: {link.LinkA} ⇄ {link.LinkB}, tbf {options.Rate} both ways; broker on the host legs {link.HostA} / {link.HostB}:{silo.MqttPort}");
            foreach (var memory in options.MemoryMiB)
            {
                foreach (var dirty in options.DirtyMiBPerSecond.Order())
                {
                    var predicted = Predict(memory, dirty, MigrationMode.PreCopy).TotalSeconds + Predict(memory, dirty, MigrationMode.StopAndCopy).TotalSeconds;
                    if (predicted > options.MaxSecondsPerCombination)
                    {
                        Note($"skipped {memory} MiB @ {dirty} MiB/s: the model predicts {predicted:0} s for both migrations (limit {options.MaxSecondsPerCombination:0} s)");
                        continue;
                    }

                    await RunCombinationAsync(link, silo, binary, root, memory, dirty, ct);
                }
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

        var table = Render();
        await output.WriteLineAsync();
        await output.WriteLineAsync(table);
        if (!string.IsNullOrEmpty(options.Markdown))
        {
            await File.WriteAllTextAsync(options.Markdown, table, ct);
        }

        return 0;
    }

    private async Task RunCombinationAsync(NetnsLink link, BenchSilo silo, string binary, string root, int memory, double dirty, CancellationToken ct)
    {
        var serviceId = string.Create(CultureInfo.InvariantCulture, $"svc-{memory}m-{dirty:0.#}d").Replace('.', '_');
        var dir = Path.Combine(root, serviceId);
        var bundle = await CounterWorkload.CreateBundleAsync(binary, Path.Combine(dir, "bundle"), memory, dirty, ct);
        var nodeA = $"{link.Name}-a";
        var nodeB = $"{link.Name}-b";
        await using var a = AgentProcess.Start(nodeA, link.NamespaceA, $"mqtt://{link.HostA}:{silo.MqttPort}", $"{link.LinkA}:{TransferPort}", dir, [$"{serviceId}={bundle}"]);
        await using var b = AgentProcess.Start(nodeB, link.NamespaceB, $"mqtt://{link.HostB}:{silo.MqttPort}", $"{link.LinkB}:{TransferPort}", dir, []);
        await using var probe = new ClientProbe(a.StateFileOf(serviceId), b.StateFileOf(serviceId));
        try
        {
            await WaitAsync(async () => IsOnline(await silo.GetAsync($"/api/nodes/{nodeA}", ct), $"{link.LinkA}:{TransferPort}"), TimeSpan.FromSeconds(60), $"{nodeA} online", ct);
            await WaitAsync(async () => IsOnline(await silo.GetAsync($"/api/nodes/{nodeB}", ct), $"{link.LinkB}:{TransferPort}"), TimeSpan.FromSeconds(60), $"{nodeB} online", ct);
            await silo.PostAsync("/api/services", new { serviceId, engine = "container", workload = "counter", nodeId = nodeA, memoryMiB = memory }, ct);
            // Memory filled, a few memory checks passed, the dirtying at its steady rate.
            await WaitAsync(() => Task.FromResult(probe.Counter > 30), TimeSpan.FromSeconds(60), "the workload to run", ct);

            await output.WriteLineAsync($"{memory} MiB @ {dirty} MiB/s: pre-copy {nodeA} → {nodeB} …");
            var pre = await MigrateAsync(silo, link, probe, serviceId, nodeB, 'a', 1, MigrationMode.PreCopy, ct);
            Record(memory, dirty, MigrationMode.PreCopy, pre);
            if (pre.State != "committed")
            {
                Note($"{memory} MiB @ {dirty} MiB/s pre-copy ended {pre.State} ({pre.Error}); source log:\n{a.Tail(12)}");
                return;
            }

            await WaitAsync(() => Task.FromResult(probe.Counter > pre.CounterAfter + 30), TimeSpan.FromSeconds(60), "the workload to run on the target", ct);
            await output.WriteLineAsync($"{memory} MiB @ {dirty} MiB/s: stop-and-copy {nodeB} → {nodeA} …");
            var stop = await MigrateAsync(silo, link, probe, serviceId, nodeA, 'b', 0, MigrationMode.StopAndCopy, ct);
            Record(memory, dirty, MigrationMode.StopAndCopy, stop);
            if (stop.State != "committed")
            {
                Note($"{memory} MiB @ {dirty} MiB/s stop-and-copy ended {stop.State} ({stop.Error}); source log:\n{b.Tail(12)}");
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            Note($"{memory} MiB @ {dirty} MiB/s failed: {ex.Message}\n{nodeA}:\n{a.Tail(8)}\n{nodeB}:\n{b.Tail(8)}");
        }
    }

    private async Task<Measured> MigrateAsync(BenchSilo silo, NetnsLink link, ClientProbe probe, string serviceId, string target, char sender, int targetFile, MigrationMode mode, CancellationToken ct)
    {
        var txBefore = await link.TxBytesAsync(sender, ct);
        probe.Begin(targetFile);
        var started = TimeProvider.System.GetTimestamp();
        var modeName = mode == MigrationMode.PreCopy ? "pre-copy" : "stop-and-copy";
        var plan = await silo.PostAsync($"/api/services/{serviceId}/migrate", new
        {
            targetNodeId = target,
            mode = modeName,
            reason = "benchmark",
            limits = new { maxRounds = MaxRounds, stopThresholdBytes = StopThresholdBytes, maxMbps = 0 },
        }, ct);
        var id = plan.GetProperty("plan").GetProperty("migrationId").GetString()!;
        JsonElement snapshot = default;
        await WaitAsync(
            async () =>
            {
                snapshot = await silo.GetAsync($"/api/migrations/{id}", ct);
                return snapshot.GetProperty("state").GetString() is "committed" or "rolled-back" or "failed";
            },
            TimeSpan.FromSeconds(options.MaxSecondsPerCombination),
            $"migration {id} to end",
            ct);
        var committedAfter = TimeProvider.System.GetElapsedTime(started);
        await WaitAsync(() => Task.FromResult(probe.Current.SwitchGap is not null || snapshot.GetProperty("state").GetString() != "committed"), TimeSpan.FromSeconds(10), "the client to see the target", ct);
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

    private void Record(int memory, double dirty, MigrationMode mode, Measured m)
    {
        if (mode == MigrationMode.PreCopy && dirty == 0 && m.State == "committed" && !_fixedSeconds.ContainsKey(memory))
        {
            // The fixed freeze/restore cost: what the 0-dirty downtime spends beyond sending its (tiny) final delta.
            _fixedSeconds[memory] = (m.DowntimeMs / 1000) - (m.FinalDeltaBytes / Bandwidth);
        }

        _rows.Add(new Row(memory, dirty, mode, m));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {m.State}: {m.Rounds} live rounds, {m.WireBytes / MiB:0.0} MiB on the wire, final delta {m.FinalDeltaBytes / MiB:0.00} MiB, downtime {m.DowntimeMs:0} ms (client {m.ClientPauseMs:0} ms), running on the target after {m.SwitchSeconds:0.0} s; longest live pause {m.LongestLivePauseMs:0} ms{(m.Corrupt is null ? string.Empty : $"; CORRUPT: {m.Corrupt}")}"));
    }

    private MigrationCostEstimate Predict(int memory, double dirty, MigrationMode mode) => PreCopyCostModel.Estimate(new MigrationCostParameters
    {
        MemoryBytes = memory * MiB,
        BandwidthBytesPerSecond = Bandwidth,
        DirtyRateBytesPerSecond = dirty * MiB,
        Mode = mode,
        StopThresholdBytes = StopThresholdBytes,
        MaxRounds = MaxRounds,
        // Until the 0-dirty run has measured it, a guess from the loopback tests (CRIU dump + restore of a small process).
        FixedDowntimeSeconds = _fixedSeconds.TryGetValue(memory, out var f) ? f : 3,
    });

    private string Render()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"Link: tbf {options.Rate} ({Bandwidth / 1e6:0.00} MB/s) both ways between two network namespaces; stop threshold {StopThresholdBytes / MiB:0} MiB, round cap {MaxRounds}.");
        s.AppendLine(CultureInfo.InvariantCulture, $"Fixed freeze/restore cost F (pre-copy at 0 MiB/s: downtime − final delta ÷ bandwidth): {string.Join(", ", _fixedSeconds.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} MiB → {kv.Value * 1000:0} ms")))}.");
        s.AppendLine();
        s.AppendLine("| MiB | dirty MiB/s | mode | result | live rounds | on the wire MiB | final delta MiB | downtime ms (target) | client pause ms | longest live pause ms | running on target after s | model downtime ms | model total s | lower bound ms | downtime ÷ bound | stop-and-copy ÷ pre-copy downtime |");
        s.AppendLine("|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in _rows)
        {
            var m = row.Measured;
            var model = Predict(row.MemoryMiB, row.Dirty, row.Mode);
            var bound = _fixedSeconds.TryGetValue(row.MemoryMiB, out var f) ? (f + (m.FinalDeltaBytes / Bandwidth)) * 1000 : double.NaN;
            var ratio = string.Empty;
            if (row.Mode == MigrationMode.PreCopy && _rows.FirstOrDefault(r => r.MemoryMiB == row.MemoryMiB && r.Dirty == row.Dirty && r.Mode == MigrationMode.StopAndCopy) is { } sc)
            {
                ratio = string.Create(CultureInfo.InvariantCulture, $"{sc.Measured.DowntimeMs / m.DowntimeMs:0.00}×");
            }

            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.MemoryMiB} | {row.Dirty:0.#} | {(row.Mode == MigrationMode.PreCopy ? "pre-copy" : "stop-and-copy")} | {m.State} | {m.Rounds} | {m.WireBytes / MiB:0.0} | {m.FinalDeltaBytes / MiB:0.00} | {m.DowntimeMs:0} | {m.ClientPauseMs:0} | {m.LongestLivePauseMs:0} | {m.SwitchSeconds:0.0} | {model.DowntimeSeconds * 1000:0} | {model.TotalSeconds:0.0} | {bound:0} | {m.DowntimeMs / bound:0.00} | {ratio} |");
        }

        foreach (var note in _notes)
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

    private static bool IsOnline(JsonElement node, string endpoint) =>
        node.ValueKind == JsonValueKind.Object
        && node.TryGetProperty("online", out var online) && online.ValueKind == JsonValueKind.True
        && node.TryGetProperty("transferEndpoint", out var ep) && ep.GetString() == endpoint;

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan within, string what, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await done())
        {
            if (TimeProvider.System.GetElapsedTime(started) > within)
            {
                throw new TimeoutException($"gave up after {within.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(50, ct);
        }
    }

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

    private sealed record Row(int MemoryMiB, double Dirty, MigrationMode Mode, Measured Measured);

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
