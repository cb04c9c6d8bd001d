using System.Globalization;
using System.Text.RegularExpressions;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Costs.Calibration;
using EdgeMigrate.Models;
using EdgeMigrate.Simulation.Mobility;

namespace EdgeMigrate.Simulation.Calibration;

/// <summary>
/// Reads the migration benchmark's Markdown tables (its <c>--markdown</c> output, or bench/RESULTS.md where they are
/// recorded): one row per migration with memory, dirty rate, mode, result, rounds, final delta, the agent-reported
/// downtime and the time until the service ran on the target. The engine and target come from the nearest heading or
/// caption above the table (container / WebAssembly, x64 / arm64), the link rate from the nearest "tbf … mbit".
/// </summary>
public static partial class BenchmarkTableReader
{
    private const string HeaderStart = "| MiB | dirty MiB/s | mode | result |";

    public static MigrationHistory Read(string markdown, string source = "benchmark")
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var engine = "container";
        var target = "x64";
        var rateBytes = 100e6 / 8;
        var measured = new List<MeasuredMigration>();
        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        var tables = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith(HeaderStart, StringComparison.Ordinal))
            {
                tables++;
                var columns = Cells(line);
                for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
                {
                    if (Row(Cells(lines[i]), columns, engine, target, rateBytes, source, i + 1, out var why) is { } row)
                    {
                        measured.Add(row);
                    }
                    else
                    {
                        skipped[why] = skipped.GetValueOrDefault(why) + 1;
                    }
                }

                continue;
            }

            if (line.StartsWith('#') || line.EndsWith(':') || line.StartsWith("Container (", StringComparison.Ordinal) || line.StartsWith("WebAssembly (", StringComparison.Ordinal))
            {
                if (line.Contains("WebAssembly", StringComparison.OrdinalIgnoreCase) || line.Contains("wasm", StringComparison.OrdinalIgnoreCase))
                {
                    (engine, target) = ("wasm", line.Contains("arm64", StringComparison.Ordinal) ? "arm64" : "x64");
                }
                else if (line.Contains("container", StringComparison.OrdinalIgnoreCase))
                {
                    (engine, target) = ("container", "x64");
                }
            }

            if (line.Contains("tbf", StringComparison.Ordinal) && Rate().Match(line) is { Success: true } rate)
            {
                rateBytes = double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) * 1e6 / 8;
            }
        }

        return tables == 0
            ? throw new MobilityInputException(source, null, null, $"no migration benchmark table (a line starting with '{HeaderStart}')")
            : new MigrationHistory(measured, skipped, new Dictionary<(string, string), (double?, double?)>());
    }

    private static MeasuredMigration? Row(string[] cells, string[] columns, string engine, string target, double rateBytes, string source, int line, out string why)
    {
        string Cell(string name)
        {
            var index = Array.IndexOf(columns, name);
            return index >= 0 && index < cells.Length ? cells[index] : throw new MobilityInputException(source, line, name, "column missing");
        }

        why = "ok";
        if (Cell("result") != "committed")
        {
            why = $"result {Cell("result")}";
            return null;
        }

        var dirtyLabel = Cell("dirty MiB/s");
        var dirty = Number(dirtyLabel.Split(' ')[0], source, line, "dirty MiB/s");
        var downtime = Number(Cell("downtime ms (target)"), source, line, "downtime ms (target)") / 1000;
        var total = Number(Cell("running on target after s"), source, line, "running on target after s");
        if (!double.IsFinite(downtime) || !double.IsFinite(total))
        {
            why = "no downtime or time on target";
            return null;
        }

        var memory = Number(Cell("MiB"), source, line, "MiB");
        var mode = Cell("mode") == "stop-and-copy" ? MigrationMode.StopAndCopy : MigrationMode.PreCopy;
        var workload = engine == "container" ? $"counter {dirtyLabel} MiB/s" : $"memhog {dirtyLabel} MiB/s";
        return new MeasuredMigration
        {
            Name = $"{engine} {memory:0} MiB, {dirtyLabel} MiB/s, {Cell("mode")}, x64 → {target}",
            Group = $"{engine} x64 → {target}",
            Workload = workload,
            Mode = mode,
            MemoryBytes = memory * MigrationCostParameters.Mebibyte,
            DowntimeSeconds = downtime,
            TotalSeconds = total,
            NominalDirtyRateBytesPerSecond = dirty * MigrationCostParameters.Mebibyte,
            NominalBandwidthBytesPerSecond = rateBytes,
            LiveRounds = (int)Number(Cell("live rounds"), source, line, "live rounds"),
            FinalDeltaBytes = Number(Cell("final delta MiB"), source, line, "final delta MiB") * MigrationCostParameters.Mebibyte,
        };
    }

    private static string[] Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim().Trim('*'))];

    private static double Number(string text, string source, int line, string field) =>
        text == "NaN" ? double.NaN
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw new MobilityInputException(source, line, field, $"'{text}' is not a number");

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*[Mm]bit")]
    private static partial Regex Rate();
}
