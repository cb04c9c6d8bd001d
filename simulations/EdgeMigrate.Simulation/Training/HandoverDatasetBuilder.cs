using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Scenarios;

namespace EdgeMigrate.Simulation.Training;

/// <summary>How examples are drawn from a simulated run.</summary>
public sealed record HandoverDatasetOptions
{
    /// <summary>Labels are capped here; an example whose future is censored before it (run or trip ends) is dropped.</summary>
    public double HorizonSeconds { get; init; } = 120;

    /// <summary>Keep one example per device every this many steps (staggered by device), to subsample correlated steps.</summary>
    public int SampleEverySteps { get; init; } = 5;

    /// <summary>The policy that moves services while examples are recorded (host features depend on it).</summary>
    public string DrivingPolicy { get; init; } = "reactive";

    /// <summary>Added to device indexes to form split groups, so several runs can be pooled.</summary>
    public int GroupOffset { get; init; }
}

/// <summary>
/// Labelled examples from a simulated run: the engine runs the driving policy wrapped in a recorder that feeds each
/// observation to the device's <see cref="DeviceFeatureWindow"/> (the code the silo runs on live telemetry); labels
/// come from the recorded future: seconds until the device's best (serving) site changes, and the rank of the site
/// it changes to among the features' candidates.
/// </summary>
public static class HandoverDatasetBuilder
{
    public static IReadOnlyList<HandoverExample> Build(PreparedScenario scenario, HandoverDatasetOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var baseSettings = scenario.Settings;
        var driving = baseSettings.Policies.FirstOrDefault(p => p.Policy == options.DrivingPolicy)
            ?? baseSettings.Policies[0] with { Policy = options.DrivingPolicy };
        var settings = baseSettings with { Policies = [driving], RecordMigrations = false };
        var recorder = new RecordingPolicy(
            HandoverPolicyFactory.Create(driving, null, null, (_, _) => PreCopyCostModel.Estimate(settings.Migration).TotalSeconds),
            scenario.Mobility.DeviceCount,
            settings.StepSeconds,
            Math.Max(1, options.SampleEverySteps));
        var engine = new SimulationEngine(settings, scenario.Mobility, scenario.Sites, scenario.Description) { PolicyOverride = _ => recorder };
        engine.Run(progress is null ? null : new Scaled(progress, 0, 0.8), cancellationToken);

        var future = new RecordedFuture(scenario.Mobility, scenario.Sites, settings.Latency, settings.StepSeconds, settings.Steps);
        progress?.Report(0.9);
        var examples = new List<HandoverExample>(recorder.Samples.Count);
        var step = settings.StepSeconds;
        var horizon = options.HorizonSeconds;
        foreach (var sample in recorder.Samples)
        {
            var label = Label(future, sample.Device, sample.TimeSeconds, step, horizon);
            if (label is not { } known)
            {
                continue;
            }

            var rank = known.Next < 0 ? -1 : Array.IndexOf(sample.CandidateSites, known.Next);
            examples.Add(new HandoverExample(sample.Features, (float)known.Seconds, rank, options.GroupOffset + sample.Device));
        }

        progress?.Report(1);
        return examples;
    }

    /// <summary>Seconds until the serving site changes and the site it changes to (-1 if none within the horizon); null when censored.</summary>
    internal static (double Seconds, int Next)? Label(IFutureLookup future, int device, double time, double step, double horizon)
    {
        var current = future.ServingSiteAt(device, time);
        if (current < 0)
        {
            return null;
        }

        for (var tau = step; tau <= horizon + 1e-9; tau += step)
        {
            if (time + tau > future.EndSeconds + 1e-9)
            {
                return null; // the run ends before we know
            }

            var site = future.ServingSiteAt(device, time + tau);
            if (site < 0)
            {
                return null; // the trip ends: no handover to predict
            }

            if (site != current)
            {
                return (tau, site);
            }
        }

        return (horizon, -1);
    }

    private readonly record struct Sample(int Device, double TimeSeconds, float[] Features, int[] CandidateSites);

    /// <summary>Feeds every observation to the device's window, keeps a staggered subsample, and lets the driving policy decide.</summary>
    private sealed class RecordingPolicy(IHandoverPolicy inner, int devices, double stepSeconds, int every) : IHandoverPolicy
    {
        private readonly DeviceFeatureWindow[] _windows = [.. Enumerable.Range(0, devices).Select(_ => new DeviceFeatureWindow())];

        public List<Sample> Samples { get; } = [];

        public string Name => inner.Name;

        public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
        {
            var features = _windows[observation.Device].Observe(in observation);
            var step = (long)Math.Round(observation.TimeSeconds / stepSeconds);
            if (features is not null && (step + observation.Device) % every == 0)
            {
                Samples.Add(new Sample(observation.Device, observation.TimeSeconds, features.ToArray(), [.. features.CandidateSites]));
            }

            return inner.Decide(in observation, ref state);
        }
    }

    private sealed class Scaled(IProgress<double> target, double from, double to) : IProgress<double>
    {
        public void Report(double value) => target.Report(from + (to - from) * value);
    }
}
