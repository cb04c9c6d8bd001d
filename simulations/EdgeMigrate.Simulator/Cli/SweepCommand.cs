using System.CommandLine;
using System.Globalization;
using CsvHelper;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulator.Output;
using ScottPlot;

namespace EdgeMigrate.Simulator.Cli;

/// <summary><c>sweep</c>: the same scenario once per value of one parameter; a CSV row per (value, policy) and plots against the value.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var options = new ScenarioOptions();
        var parameter = new Option<string>("--param") { Description = "NAME=V1,V2,... e.g. hysteresisMs=0,3,6,10", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder for sweep.csv and plots", DefaultValueFactory = _ => "sweep-out" };
        var command = new Command("sweep", "Run a scenario for each value of one parameter");
        options.AddTo(command);
        command.Options.Add(parameter);
        command.Options.Add(output);
        command.SetAction((parse, cancellationToken) => CommandErrors.Guard(() =>
        {
            var (name, values) = ParseParameter(parse.GetValue(parameter)!);
            var (spec, baseDirectory) = options.Resolve(parse);
            var directory = parse.GetValue(output)!;
            Directory.CreateDirectory(directory);
            var results = new List<(double Value, SimulationSummary Summary)>();
            foreach (var value in values)
            {
                ScenarioParameter.Apply(spec, name, value);
                var prepared = options.Prepare(parse, spec, baseDirectory);
                var result = TerminalProgress.Run(prepared.CreateEngine(), $"{name}={value.ToString(CultureInfo.InvariantCulture)}", !parse.GetValue(options.NoProgress), cancellationToken);
                results.Add((value, result.Summary));
                Console.Out.WriteLine($"{name}={value.ToString(CultureInfo.InvariantCulture)}");
                Console.Out.Write(RunCommand.Describe(result.Summary));
            }

            WriteCsv(Path.Combine(directory, "sweep.csv"), name, results);
            PlotRenderer.Save(SweepPlot(name, results, m => m.SlaViolationSeconds, "SLA violation (device-seconds)"), directory, "sweep-sla.png");
            PlotRenderer.Save(SweepPlot(name, results, m => m.Migrations, "migrations"), directory, "sweep-migrations.png");
            Console.Out.WriteLine($"wrote sweep.csv, sweep-sla.png, sweep-migrations.png to {Path.GetFullPath(directory)}");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static (string Name, double[] Values) ParseParameter(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ScenarioException($"--param '{text}': expected NAME=V1,V2,...; names: {string.Join(", ", ScenarioParameter.Names)}");
        }

        var values = text[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new ScenarioException($"--param: '{v}' is not a number"))
            .ToArray();
        return values.Length > 0 ? (text[..equals].Trim(), values) : throw new ScenarioException("--param needs at least one value");
    }

    private static void WriteCsv(string path, string name, List<(double Value, SimulationSummary Summary)> results)
    {
        using var writer = new StreamWriter(path);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var field in new[] { name, "policy", "migrations", "pingPongs", "slaViolationSeconds", "downtimeSeconds", "bytesTransferred", "meanLatencyMs", "p95LatencyMs", "medianLeadTimeSeconds" })
        {
            csv.WriteField(field);
        }

        csv.NextRecord();
        foreach (var (value, summary) in results)
        {
            foreach (var (policy, m) in summary.Policies)
            {
                csv.WriteField(value);
                csv.WriteField(policy);
                csv.WriteField(m.Migrations);
                csv.WriteField(m.PingPongs);
                csv.WriteField(m.SlaViolationSeconds);
                csv.WriteField(m.DowntimeSeconds);
                csv.WriteField(m.BytesTransferred);
                csv.WriteField(m.MeanLatencyMs);
                csv.WriteField(m.P95LatencyMs);
                csv.WriteField(m.MedianLeadTimeSeconds?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
                csv.NextRecord();
            }
        }
    }

    private static Plot SweepPlot(string name, List<(double Value, SimulationSummary Summary)> results, Func<PolicyMetrics, double> metric, string label)
    {
        var plot = new Plot();
        foreach (var policy in results[0].Summary.Policies.Keys)
        {
            var xs = results.Select(r => r.Value).ToArray();
            var ys = results.Select(r => metric(r.Summary.Policies[policy])).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = policy;
            line.MarkerSize = 7;
        }

        plot.Title($"{label} vs {name}");
        plot.XLabel(name);
        plot.YLabel(label);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
