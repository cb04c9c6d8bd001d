using System.Diagnostics;
using System.Globalization;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulation.Training;

namespace EdgeMigrate.Bench.Prediction;

/// <summary>
/// Stopwatch harness (BenchmarkDotNet would spend minutes per case on this 2-core machine): records real telemetry-shaped
/// observations from a simulated run, then times each stage over them for a fixed wall time after a warm-up.
/// Usage: <c>[--model FILE] [--seconds N]</c>; without a model it trains a small one first.
/// </summary>
internal static class PredictionHarness
{
    public static int Run(string[] args)
    {
        var modelPath = Value(args, "--model");
        var seconds = double.Parse(Value(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var spec = new ScenarioSpec
        {
            Seed = 1,
            Duration = "10m",
            Sites = "hex:500",
            Policies = ["reactive"],
            Mobility = new MobilitySpec { Kind = "gauss-markov", Devices = 100, AreaWidthMetres = 8000, AreaHeightMetres = 8000, MinSpeedMps = 3, MaxSpeedMps = 14, GaussMarkovAlpha = 0.95 },
        };
        var prepared = ScenarioBuilder.Prepare(spec, Environment.CurrentDirectory);

        using var model = modelPath is null
            ? HandoverTrainer.Train(HandoverDatasetBuilder.Build(prepared, new HandoverDatasetOptions()), new HandoverTrainingOptions { Seed = 1 })
            : HandoverModel.Load(modelPath);

        var recorder = new Recorder(new ReactivePolicy(prepared.Settings.Policies[0]));
        new SimulationEngine(prepared.Settings, prepared.Mobility, prepared.Sites) { PolicyOverride = _ => recorder }.Run();
        var observations = recorder.Observations;
        var devices = prepared.Mobility.DeviceCount;
        var features = Extract(observations, devices).Where(f => f is not null).Select(f => f!).ToArray();
        var siteRows = SiteRows(observations, devices);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {model.Version}; {observations.Count:N0} observations of {devices} devices, {features.Length:N0} feature vectors; {seconds:0} s per case; {Environment.ProcessorCount} cores"));

        var rows = new List<string>
        {
            Throughput("feature extraction (DeviceFeatureWindow.Observe)", seconds, 1, _ => ExtractLoop(observations, devices)),
            Throughput("model.Predict, 1 thread (pooled engines)", seconds, 1, _ => PredictLoop(model, features)),
            Throughput("model.Predict, 2 threads (pooled engines)", seconds, 2, _ => PredictLoop(model, features)),
            Throughput("model.PredictBreachProbability (one site), 1 thread", seconds, 1, _ => SiteLoop(siteRows, row => model.PredictBreachProbability(row, 36))),
            Throughput("model.PredictReachSeconds (one site), 1 thread", seconds, 1, _ => SiteLoop(siteRows, row => model.PredictReachSeconds(row))),
            Latency("per telemetry: Observe + Predict", seconds, observations, devices, (window, observation) =>
            {
                var f = window.Observe(in observation);
                return f is null ? 0 : model.Predict(f).NextSite;
            }),
            Latency("per telemetry: PredictivePolicy.Decide (window + model + rule)", seconds, observations, devices, PolicyStep(model, prepared)),
        };

        Console.WriteLine();
        Console.WriteLine("| case | per second | p50 µs | p99 µs | allocated B/op |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        return 0;
    }

    private static Func<DeviceFeatureWindow, DeviceObservation, int> PolicyStep(HandoverModel model, PreparedScenario prepared)
    {
        var policy = new PredictivePolicy(prepared.Settings.Policies[0] with { Policy = "predictive" }, model, (_, _) => 32.4);
        var states = Enumerable.Repeat(DevicePolicyState.Initial, prepared.Mobility.DeviceCount).ToArray();
        return (window, observation) => policy.Decide(in observation, ref states[observation.Device], window).TargetSite;
    }

    private static HandoverFeatures?[] Extract(List<DeviceObservation> observations, int devices)
    {
        var windows = Windows(devices);
        return [.. observations.Select(o => windows[o.Device].Observe(in o))];
    }

    /// <summary>The reach model's row for every measured site of every observation with features.</summary>
    private static float[][] SiteRows(List<DeviceObservation> observations, int devices)
    {
        var windows = Windows(devices);
        var rows = new List<float[]>();
        foreach (var observation in observations)
        {
            var window = windows[observation.Device];
            if (window.Observe(in observation) is not { } features)
            {
                continue;
            }

            foreach (var site in observation.Sites.Span)
            {
                var row = new float[SiteReachFeatures.Count];
                if (window.DescribeSite(features, site.Site, 30, row))
                {
                    rows.Add(row);
                }
            }
        }

        return [.. rows];
    }

    private static long SiteLoop(float[][] rows, Func<float[], double> predict)
    {
        var sink = 0.0;
        foreach (var row in rows)
        {
            sink += predict(row);
        }

        return rows.Length + (long)(sink * 0);
    }

    private static long ExtractLoop(List<DeviceObservation> observations, int devices)
    {
        var windows = Windows(devices);
        var sink = 0L;
        foreach (var observation in observations)
        {
            sink += windows[observation.Device].Observe(in observation) is null ? 0 : 1;
        }

        return observations.Count + (sink & 0);
    }

    private static long PredictLoop(HandoverModel model, HandoverFeatures[] features)
    {
        var sink = 0.0;
        foreach (var f in features)
        {
            sink += model.Predict(f).SecondsToHandover;
        }

        return features.Length + (long)(sink * 0);
    }

    private static string Throughput(string name, double seconds, int threads, Func<int, long> pass)
    {
        pass(0); // warm-up: JIT, engine pool
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        var totals = new long[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            while (wall.Elapsed.TotalSeconds < seconds)
            {
                totals[t] += pass(t);
            }
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        wall.Stop();
        var operations = totals.Sum();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {operations / wall.Elapsed.TotalSeconds:N0} | | | {bytes / (double)operations:N0} |");
    }

    private static string Latency(string name, double seconds, List<DeviceObservation> observations, int devices, Func<DeviceFeatureWindow, DeviceObservation, int> step)
    {
        var samples = new List<double>(1 << 20);
        var windows = Windows(devices);
        foreach (var observation in observations.Take(5000))
        {
            step(windows[observation.Device], observation); // warm-up
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        var operations = 0L;
        while (wall.Elapsed.TotalSeconds < seconds)
        {
            windows = Windows(devices);
            foreach (var observation in observations)
            {
                var start = Stopwatch.GetTimestamp();
                step(windows[observation.Device], observation);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                operations++;
            }
        }

        wall.Stop();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        samples.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {operations / wall.Elapsed.TotalSeconds:N0} | {samples[samples.Count / 2]:0.0} | {samples[(int)(samples.Count * 0.99)]:0.0} | {bytes / (double)operations:N0} |");
    }

    private static DeviceFeatureWindow[] Windows(int devices) => [.. Enumerable.Range(0, devices).Select(_ => new DeviceFeatureWindow())];

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Keeps a copy of every observation the engine makes (its measurement buffer is reused).</summary>
    private sealed class Recorder(IHandoverPolicy inner) : IHandoverPolicy
    {
        public List<DeviceObservation> Observations { get; } = [];

        public string Name => inner.Name;

        public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
        {
            Observations.Add(observation with { Sites = observation.Sites.ToArray() });
            return inner.Decide(in observation, ref state);
        }
    }
}
