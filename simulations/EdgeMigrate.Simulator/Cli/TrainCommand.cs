using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulation.Training;
using Spectre.Console;

namespace EdgeMigrate.Simulator.Cli;

/// <summary>
/// <c>train</c>: simulate one or more mobility sources, label every sampled observation from the recorded future,
/// train the handover model and write it with a short report beside it.
/// </summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static Command Create()
    {
        var options = new ScenarioOptions();
        var output = new Option<string>("--out") { Description = "Model file to write; the report goes beside it as NAME.report.md", DefaultValueFactory = _ => "model.zip" };
        var horizon = new Option<double>("--horizon") { Description = "Label cap, seconds", DefaultValueFactory = _ => 120 };
        var sampleEvery = new Option<int>("--sample-every") { Description = "Keep one example per device every N steps", DefaultValueFactory = _ => 5 };
        var trees = new Option<int>("--trees") { Description = "Trees (FastTree) and boosting iterations (LightGBM)", DefaultValueFactory = _ => 150 };
        var command = new Command("train", "Train the handover prediction model from simulated runs (--mobility may list several kinds, e.g. gauss-markov,manhattan)");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(horizon);
        command.Options.Add(sampleEvery);
        command.Options.Add(trees);
        command.SetAction((parse, cancellationToken) => CommandErrors.Guard(() =>
        {
            var (spec, baseDirectory) = options.Resolve(parse);
            ApplyTrainingDefaults(parse, options, spec);
            var modelPath = Path.GetFullPath(parse.GetValue(output)!);
            var datasetOptions = new HandoverDatasetOptions { HorizonSeconds = parse.GetValue(horizon), SampleEverySteps = parse.GetValue(sampleEvery) };
            var kinds = spec.Mobility.Kind.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var layouts = spec.Sites.StartsWith("hex:", StringComparison.Ordinal)
                ? spec.Sites.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.StartsWith("hex:", StringComparison.Ordinal) ? s : "hex:" + s).ToArray()
                : [spec.Sites];
            var allSites = spec.Sites;
            var wall = Stopwatch.StartNew();
            var descriptions = new List<string>();
            var datasets = new List<HandoverDataset>();
            HandoverModel? model = null;

            void Work(Func<string, IProgress<double>?> task, Action<string> stage)
            {
                var run = 0;
                foreach (var layout in layouts)
                {
                    foreach (var kind in kinds)
                    {
                        spec.Mobility.Kind = kind;
                        spec.Sites = layout;
                        var prepared = options.Prepare(parse, spec, baseDirectory);
                        descriptions.Add($"{prepared.Description}, {layout}");
                        datasets.Add(HandoverDatasetBuilder.Build(prepared, datasetOptions with { GroupOffset = run++ * 10_000_000 }, task($"simulating {kind} on {layout}"), cancellationToken));
                    }
                }

                spec.Mobility.Kind = string.Join(',', kinds);
                spec.Sites = allSites;
                var trainingOptions = new HandoverTrainingOptions
                {
                    Seed = spec.Seed,
                    HorizonSeconds = datasetOptions.HorizonSeconds,
                    ReachHorizonSeconds = datasetOptions.ReachHorizonSeconds,
                    Trees = parse.GetValue(trees),
                    DataDescription = string.Create(CultureInfo.InvariantCulture, $"{string.Join(" + ", descriptions)}; sites {spec.Sites}; {spec.Duration} each, step {spec.Step}; candidate sites {spec.CandidateSites}; jitter {spec.Latency.MeasurementJitterMs} ms; one example per device every {datasetOptions.SampleEverySteps} steps, reach examples every {datasetOptions.SampleEverySteps * datasetOptions.ReachEverySamples} steps per measured site at SLA {string.Join('/', datasetOptions.ReachSlaMs)} ms"),
                };
                model = HandoverTrainer.Train(HandoverDataset.Concat(datasets), trainingOptions, new StageProgress(stage));
            }

            if (!parse.GetValue(options.NoProgress) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                AnsiConsole.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .Start(context =>
                    {
                        ProgressTask? training = null;
                        Work(
                            label =>
                            {
                                var task = context.AddTask(Markup.Escape(label), maxValue: 1.0);
                                return new FractionProgress(value => task.Value = value);
                            },
                            stage =>
                            {
                                training ??= context.AddTask("training", maxValue: 1.0).IsIndeterminate();
                                training.Description = Markup.Escape(stage);
                            });
                        training?.StopTask();
                    });
            }
            else
            {
                Work(_ => null, stage => Console.Error.WriteLine(stage));
            }

            using (model)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(modelPath)!);
                model!.Save(modelPath);
                var report = Report(model, modelPath, wall.Elapsed.TotalSeconds);
                var reportPath = Path.ChangeExtension(modelPath, null) + ".report.md";
                File.WriteAllText(reportPath, report);
                Console.Out.Write(report);
                Console.Out.WriteLine($"wrote {modelPath} and {reportPath}");
            }

            return Task.FromResult(0);
        }));
        return command;
    }

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    public static string DescribeEvaluation(string title, HandoverEvaluation e, double within)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"{title}: {e.Examples:N0} examples ({e.ExamplesWithNextSite:N0} with a next site within the horizon)\n");
        text.Append(c, $"  timing:    MAE {e.TimingMaeSeconds:0.00} s, RMSE {e.TimingRmseSeconds:0.00} s, MAE for handovers within {within:0} s {e.TimingMaeWithinSeconds:0.00} s\n");
        text.Append(c, $"  next site: accuracy {e.NextSiteAccuracy:0.000} (within {within:0} s: {e.NextSiteAccuracyWithin:0.000}), log-loss {e.NextSiteLogLoss:0.000}\n");
        text.Append(c, $"  upcoming handovers (<= {within:0} s): recall {e.HandoverRecallWithin:0.000}, precision {e.HandoverPrecisionWithin:0.000}\n");
        text.Append(c, $"  site reach: {e.ReachExamples:N0} examples, MAE {e.ReachMaeSeconds:0.00} s; for breaches within {e.ReachWithinSeconds:0} s MAE {e.ReachMaeWithinSeconds:0.00} s, bias {e.ReachBiasWithinSeconds:+0.00;-0.00} s\n");
        text.Append(c, $"  site breach within T: AUC {e.BreachAuc:0.000}, log-loss {e.BreachLogLoss:0.000}\n");
        return text.ToString();
    }

    private static string Report(HandoverModel model, string path, double wallSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        var m = model.Metadata;
        var t = m.Training;
        var text = new StringBuilder();
        text.Append(c, $"# Handover model {model.Version}\n\n");
        text.Append(c, $"file: {Path.GetFileName(path)}; format {m.FormatVersion}; features {m.Features.Count} (schema {m.FeatureSchemaHash}); horizon {m.HorizonSeconds:0} s; seed {m.Seed}; trained in {wallSeconds:0.0} s wall\n");
        text.Append(c, $"data: {t.Data}\n");
        text.Append(c, $"examples: {t.Examples:N0} (train {t.TrainExamples:N0}, held-back test {t.TestExamples:N0}, split by device)\n");
        text.Append(c, $"timing: {t.TimingTrainer}; next site: {t.NextSiteTrainer}; site reach: {t.ReachTrainer}, {t.ReachExamples:N0} examples, horizon {m.ReachHorizonSeconds:0} s; site breach: {t.BreachTrainer}\n\n");
        text.Append(DescribeEvaluation("held-back test set", new HandoverEvaluation
        {
            Examples = t.TestExamples,
            ExamplesWithNextSite = t.TestExamplesWithNextSite,
            TimingMaeSeconds = t.TimingMaeSeconds,
            TimingRmseSeconds = t.TimingRmseSeconds,
            TimingMaeWithinSeconds = t.TimingMaeWithinSeconds,
            NextSiteAccuracy = t.NextSiteAccuracy,
            NextSiteLogLoss = t.NextSiteLogLoss,
            NextSiteAccuracyWithin = t.NextSiteAccuracyWithin,
            HandoverRecallWithin = t.HandoverRecallWithin,
            HandoverPrecisionWithin = t.HandoverPrecisionWithin,
            ReachExamples = t.ReachTestExamples,
            ReachMaeSeconds = t.ReachMaeSeconds,
            ReachMaeWithinSeconds = t.ReachMaeWithinSeconds,
            ReachBiasWithinSeconds = t.ReachBiasWithinSeconds,
            ReachWithinSeconds = t.ReachWithinSeconds,
            BreachAuc = t.BreachAuc,
            BreachLogLoss = t.BreachLogLoss,
        }, t.WithinSeconds));
        return text.ToString();
    }

    /// <summary>
    /// Training defaults where the command line is silent: bus-like synthetic mobility (Gauss-Markov with long memory and
    /// a 400 m Manhattan grid at 3–14 m/s, as simulations/scenarios/train-bus-like.yaml), 30-minute runs, 150 devices.
    /// </summary>
    private static void ApplyTrainingDefaults(ParseResult parse, ScenarioOptions options, ScenarioSpec spec)
    {
        if (parse.GetValue(options.Scenario) is not null)
        {
            return;
        }

        if (parse.GetValue(options.Gtfs) is null && parse.GetValue(options.Trace) is null && parse.GetValue(options.Mobility) is null)
        {
            spec.Mobility.Kind = "gauss-markov,manhattan";
        }

        if (parse.GetValue(options.Duration) is null) { spec.Duration = "30m"; }
        if (parse.GetValue(options.Devices) is null) { spec.Mobility.Devices = 150; }
        if (parse.GetValue(options.AreaMetres) is null) { spec.Mobility.AreaWidthMetres = spec.Mobility.AreaHeightMetres = 8000; }
        spec.Mobility.MinSpeedMps = 3;
        spec.Mobility.MaxSpeedMps = 14;
        spec.Mobility.GaussMarkovAlpha = 0.95;
        spec.Mobility.BlockMetres = 400;
    }

    private sealed class FractionProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    private sealed class StageProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
