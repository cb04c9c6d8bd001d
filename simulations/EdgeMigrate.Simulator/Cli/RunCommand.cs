using System.CommandLine;
using System.Globalization;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulation.Training;
using EdgeMigrate.Simulator.Output;

namespace EdgeMigrate.Simulator.Cli;

/// <summary><c>run</c>: one simulation, all requested policies, every output file.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var options = new ScenarioOptions();
        var output = new Option<string>("--out") { Description = "Output folder for summary.json, migrations.csv, plots and report.html", DefaultValueFactory = _ => "sim-out" };
        var model = new Option<string?>("--model") { Description = "Trained handover model (from 'train') for the predictive policy; also scored on this run's mobility" };
        var command = new Command("run", "Run one simulation and compare the policies");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(model);
        command.SetAction((parse, cancellationToken) => CommandErrors.Guard(() =>
        {
            var (spec, baseDirectory) = options.Resolve(parse);
            var directory = parse.GetValue(output)!;
            using var handoverModel = parse.GetValue(model) is { } modelPath ? HandoverModel.Load(modelPath) : null;
            if (handoverModel is null && spec.Policies.Contains("predictive"))
            {
                throw new ScenarioException("policy 'predictive' needs a trained model: add --model FILE (see the 'train' command)");
            }

            var prepared = options.Prepare(parse, spec, baseDirectory);
            var showProgress = !parse.GetValue(options.NoProgress);
            var result = TerminalProgress.Run(prepared.CreateEngine(handoverModel), "simulating", showProgress, cancellationToken);
            Directory.CreateDirectory(directory);
            var files = Write(result, spec, directory);
            Console.Out.Write(Describe(result.Summary));
            if (handoverModel is not null)
            {
                // How the model itself scores on this run's mobility (labels from the recorded future).
                var examples = TerminalProgress.Run(p => HandoverDatasetBuilder.Build(prepared, new HandoverDatasetOptions { HorizonSeconds = handoverModel.HorizonSeconds, ReachHorizonSeconds = handoverModel.ReachHorizonSeconds, ReachSlaMs = [prepared.Settings.Policies[0].SlaLatencyMs] }, p, cancellationToken), "scoring the model", showProgress);
                var evaluation = handoverModel.Evaluate(examples);
                File.WriteAllText(Path.Combine(directory, "prediction.json"), TrainCommand.Json(new { model = handoverModel.Version, evaluation }));
                files = [.. files, "prediction.json"];
                Console.Out.Write(TrainCommand.DescribeEvaluation($"model {handoverModel.Version} on this run", evaluation, 40));
            }

            Console.Out.WriteLine($"wrote {string.Join(", ", files)} to {Path.GetFullPath(directory)}");
            return Task.FromResult(0);
        }));
        return command;
    }

    public static IReadOnlyList<string> Write(SimulationResult result, ScenarioSpec spec, string directory)
    {
        File.WriteAllText(Path.Combine(directory, "summary.json"), SummaryJson.Serialize(result.Summary));
        MigrationsCsvWriter.Write(Path.Combine(directory, "migrations.csv"), result.Migrations);
        File.WriteAllText(Path.Combine(directory, "scenario.yaml"), ScenarioFile.Serialize(ScenarioBuilder.WithEffectivePolicyParameters(spec)));
        var plots = PlotRenderer.Render(result, directory);
        HtmlReportWriter.Write(Path.Combine(directory, "report.html"), result.Summary, directory, plots);
        return ["summary.json", "migrations.csv", "scenario.yaml", .. plots, "report.html"];
    }

    /// <summary>A plain table that reads the same in a terminal, a log and a Markdown code block.</summary>
    public static string Describe(SimulationSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        text.Append(c, $"{s.Mobility}; {s.Devices} devices, {s.Sites} sites, {s.SimulatedSeconds:0} s simulated in {s.WallSeconds:0.###} s wall ({s.Events:N0} events, {s.Events / Math.Max(s.WallSeconds, 1e-9):N0}/s)\n");
        text.Append(c, $"one migration: {s.MigrationEstimate.Mode}, {s.MigrationEstimate.Rounds} rounds, {s.MigrationEstimate.TotalSeconds:0.00} s, downtime {s.MigrationEstimate.DowntimeSeconds * 1000:0} ms\n");
        text.Append(c, $"{"policy",-13} {"migr",6} {"pingpong",8} {"SLA-viol s",11} {"downtime s",10} {"MiB",8} {"mean ms",8} {"p95 ms",7} {"lead s",7} {"gap",6}\n");
        foreach (var (name, m) in s.Policies)
        {
            var lead = m.MedianLeadTimeSeconds is { } l ? l.ToString("0.0", c) : "-";
            var gap = m.GapClosed is { } g ? g < -1 ? "<-100%" : g.ToString("0%", c) : "-";
            text.Append(c, $"{name,-13} {m.Migrations,6} {m.PingPongs,8} {m.SlaViolationSeconds,11:0.0} {m.DowntimeSeconds,10:0.00} {m.BytesTransferred / 1048576.0,8:0} {m.MeanLatencyMs,8:0.00} {m.P95LatencyMs,7:0.0} {lead,7} {gap,6}\n");
        }

        if (s.Optimum is { } o)
        {
            text.Append(c, $"optimum: {o.ViolationSeconds:0.0} SLA-violation s with {o.Migrations} migrations, {o.MeanCandidateSites:0.0} candidate sites per device, {(o.Exact ? "exact" : "not exact (site capacities or per-pair costs)")}, searched in {o.SolveSeconds:0.###} s\n");
        }

        return text.ToString();
    }
}
