using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Costs.Calibration;
using EdgeMigrate.Simulation.Calibration;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulator.Cli;

/// <summary>
/// <c>calibrate</c>: fits the cost model to measured migrations (the silo's <c>/api/migrations</c> history or the
/// migration benchmark's tables) and writes a scenario whose migration section carries the fitted parameters, the
/// fitted bandwidth per site pair as links.csv, and a report of model vs measured before and after.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var migrations = new Option<string[]>("--migrations") { Description = "Body of the silo's GET /api/migrations (JSON array); repeatable", AllowMultipleArgumentsPerToken = true };
        var services = new Option<string?>("--services") { Description = "Body of GET /api/services: each service's memory (else taken from its first round)" };
        var nodes = new Option<string?>("--nodes") { Description = "Body of GET /api/nodes: the agents' link estimates (RTT, rate) and the nodes' sites" };
        var bench = new Option<string[]>("--bench") { Description = "Markdown with the migration benchmark's tables (its --markdown output, or bench/RESULTS.md); repeatable", AllowMultipleArgumentsPerToken = true };
        var scenario = new Option<string?>("--scenario") { Description = "Scenario to calibrate (default: the simulator's defaults); its other settings are kept" };
        var group = new Option<string?>("--group") { Description = "Group (engine and path) whose parameters go into the scenario (default: the first)" };
        var workload = new Option<string?>("--workload") { Description = "Workload whose dirty rate goes into the scenario (default: the group's workload nearest the scenario's dirty rate)" };
        var output = new Option<string>("--out") { Description = "Folder for scenario.yaml, links.csv, calibration.md and calibration.json", DefaultValueFactory = _ => "calibration" };
        var command = new Command("calibrate", "Fit the migration cost model to measured migrations and write a calibrated scenario");
        foreach (var option in new Option[] { migrations, services, nodes, bench, scenario, group, workload, output })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => CommandErrors.Guard(async () =>
        {
            var measured = new List<MeasuredMigration>();
            var links = new Dictionary<(string From, string To), (double? Mbps, double? RttMs)>();
            var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
            var servicesJson = parse.GetValue(services) is { } s ? await ReadAsync(s, cancellationToken) : null;
            var nodesJson = parse.GetValue(nodes) is { } n ? await ReadAsync(n, cancellationToken) : null;
            foreach (var path in parse.GetValue(migrations) ?? [])
            {
                Add(MigrationHistoryReader.Read(await ReadAsync(path, cancellationToken), servicesJson, nodesJson, Path.GetFileName(path)));
            }

            foreach (var path in parse.GetValue(bench) ?? [])
            {
                Add(BenchmarkTableReader.Read(await ReadAsync(path, cancellationToken), Path.GetFileName(path)));
            }

            if (measured.Count == 0)
            {
                throw new ScenarioException($"no committed migration to fit: give --migrations or --bench{(skipped.Count > 0 ? $" (left out: {Describe(skipped)})" : string.Empty)}");
            }

            var scenarioPath = parse.GetValue(scenario);
            var spec = scenarioPath is null ? new ScenarioSpec() : ScenarioFile.Load(scenarioPath);
            var defaults = ScenarioBuilder.Settings(spec).Migration;
            var groups = CostModelCalibration.Fit(measured, cancellationToken);
            var chosen = parse.GetValue(group) is { } g
                ? groups.FirstOrDefault(x => x.Group == g) ?? throw new ScenarioException($"--group '{g}' is not among: {string.Join("; ", groups.Select(x => x.Group))}")
                : groups[0];
            var name = parse.GetValue(workload) is { } w
                ? chosen.DirtyRateBytesPerSecond.ContainsKey(w) ? w : throw new ScenarioException($"--workload '{w}' is not among: {string.Join("; ", chosen.DirtyRateBytesPerSecond.Keys)}")
                : Nearest(measured.Where(m => m.Group == chosen.Group), chosen, spec.Migration.DirtyRateMiBps * MigrationCostParameters.Mebibyte);
            var parameters = chosen.ParametersFor(name, spec.Migration.MemoryMiB * MigrationCostParameters.Mebibyte, defaults.Mode, defaults.StopThresholdBytes, defaults.MaxRounds);
            spec.Migration.BandwidthMbps = Math.Round(parameters.BandwidthBytesPerSecond * 8 / 1e6, 3);
            spec.Migration.DirtyRateMiBps = Math.Round(parameters.DirtyRateBytesPerSecond / MigrationCostParameters.Mebibyte, 4);
            spec.Migration.FixedDowntimeSeconds = Math.Round(parameters.FixedDowntimeSeconds, 4);
            spec.Migration.RoundOverheadSeconds = Math.Round(parameters.RoundOverheadSeconds, 4);
            spec.Migration.SetupSeconds = Math.Round(parameters.SetupSeconds, 4);

            var directory = parse.GetValue(output)!;
            Directory.CreateDirectory(directory);
            var files = new List<string> { "scenario.yaml", "calibration.md", "calibration.json" };
            var pairs = PairLinks(measured, groups, links);
            if (pairs.Length > 0)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, "links.csv"), pairs, cancellationToken);
                files.Add("links.csv");
                if (!spec.Sites.StartsWith("hex:", StringComparison.Ordinal))
                {
                    spec.Links = "links.csv"; // a site CSV can name the measured nodes' sites; a hex grid cannot
                }
            }

            if (scenarioPath is not null && !spec.Sites.StartsWith("hex:", StringComparison.Ordinal))
            {
                spec.Sites = Path.GetFullPath(spec.Sites, Path.GetDirectoryName(Path.GetFullPath(scenarioPath))!);
            }

            if (scenarioPath is not null && spec.Mobility.Path is { } mobilityPath)
            {
                spec.Mobility.Path = Path.GetFullPath(mobilityPath, Path.GetDirectoryName(Path.GetFullPath(scenarioPath))!);
            }

            var header = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"# Calibrated by edgemigrate-sim calibrate from {measured.Count} measured migrations: group '{chosen.Group}', workload '{name}', {spec.Migration.MemoryMiB:0} MiB.\n")
                .ToString();
            await File.WriteAllTextAsync(Path.Combine(directory, "scenario.yaml"), header + ScenarioFile.Serialize(ScenarioBuilder.WithEffectivePolicyParameters(spec)), cancellationToken);
            var report = CalibrationReport.Write(measured, groups, defaults);
            await File.WriteAllTextAsync(Path.Combine(directory, "calibration.md"), report, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(directory, "calibration.json"), TrainCommand.Json(new { groups, skipped }), cancellationToken);
            var estimate = PreCopyCostModel.Estimate(parameters);
            await Console.Out.WriteAsync(report);
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"scenario: {chosen.Group}, {name}, {spec.Migration.MemoryMiB:0} MiB: {spec.Migration.BandwidthMbps:0.0} Mbit/s, dirty {spec.Migration.DirtyRateMiBps:0.00} MiB/s, F {spec.Migration.FixedDowntimeSeconds:0.000} s, c {spec.Migration.RoundOverheadSeconds:0.000} s, S {spec.Migration.SetupSeconds:0.000} s -> one migration {estimate.Rounds} rounds, {estimate.TotalSeconds:0.00} s, downtime {estimate.DowntimeSeconds * 1000:0} ms"));
            if (skipped.Count > 0)
            {
                await Console.Out.WriteLineAsync($"left out: {Describe(skipped)}");
            }

            await Console.Out.WriteLineAsync($"wrote {string.Join(", ", files)} to {Path.GetFullPath(directory)}");
            return 0;

            void Add(MigrationHistory history)
            {
                measured.AddRange(history.Migrations);
                foreach (var (key, value) in history.Skipped)
                {
                    skipped[key] = skipped.GetValueOrDefault(key) + value;
                }

                foreach (var (key, value) in history.Links)
                {
                    links[key] = value;
                }
            }
        }));
        return command;
    }

    /// <summary>links.csv: per measured site pair the fitted bandwidth of its group and the agents' RTT estimate.</summary>
    private static string PairLinks(List<MeasuredMigration> measured, IReadOnlyList<GroupCalibration> groups, Dictionary<(string From, string To), (double? Mbps, double? RttMs)> links)
    {
        var rows = new SortedDictionary<(string, string), (double? Mbps, double? RttMs)>();
        foreach (var m in measured)
        {
            if (m.Path is { } path && groups.FirstOrDefault(g => g.Group == m.Group) is { } group)
            {
                rows[path] = (group.BandwidthBytesPerSecond * 8 / 1e6, links.TryGetValue(path, out var link) ? link.RttMs : null);
            }
        }

        if (rows.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder("from,to,mbps,rttMs\n");
        foreach (var ((from, to), (mbps, rtt)) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{from},{to},{mbps:0.###},{rtt?.ToString("0.###", CultureInfo.InvariantCulture)}\n");
        }

        return text.ToString();
    }

    private static string Nearest(IEnumerable<MeasuredMigration> migrations, GroupCalibration group, double dirtyRate) =>
        migrations.Where(m => m.NominalDirtyRateBytesPerSecond is not null)
            .OrderBy(m => Math.Abs(m.NominalDirtyRateBytesPerSecond!.Value - dirtyRate)).ThenBy(m => m.Workload, StringComparer.Ordinal)
            .Select(m => m.Workload).FirstOrDefault()
        ?? group.DirtyRateBytesPerSecond.Keys.First();

    private static string Describe(Dictionary<string, int> skipped) => string.Join(", ", skipped.Select(s => $"{s.Value} × {s.Key}"));

    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : throw new MobilityInputException(path, null, null, "no such file");
}
