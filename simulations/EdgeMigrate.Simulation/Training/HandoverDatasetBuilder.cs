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

    /// <summary>
    /// The policy that moves services while examples are recorded (host features depend on it). The greedy oracle, because it
    /// keeps services on their host until the SLA forces a move: the reach model then sees hosts at every distance the
    /// predictive policy leaves them at (under reactive they never lag more than a hop, and the model extrapolated late).
    /// </summary>
    public string DrivingPolicy { get; init; } = PolicyCatalog.GreedyOracle.Name;

    /// <summary>Added to device indexes to form split groups, so several runs can be pooled.</summary>
    public int GroupOffset { get; init; }

    /// <summary>Reach labels are capped here (as the trainer's reach horizon).</summary>
    public double ReachHorizonSeconds { get; init; } = 300;

    /// <summary>Reach examples are drawn on every this-many-th handover sample (each gives one per measured site).</summary>
    public int ReachEverySamples { get; init; } = 2;

    /// <summary>SLAs the reach examples are labelled against, in turn, so one model serves fleets with different SLAs.</summary>
    public IReadOnlyList<double> ReachSlaMs { get; init; } = [25, 30, 35];
}

/// <summary>
/// Labelled examples from a simulated run: the engine runs the driving policy wrapped in a recorder that feeds each
/// observation to the device's <see cref="DeviceFeatureWindow"/> (the code the silo runs on live telemetry); labels
/// come from the recorded future: seconds until the device's best (serving) site changes, and the rank of the site
/// it changes to among the features' candidates; and, per measured site, seconds until that site would first break the
/// SLA for the device were the service hosted there (the reach model's label).
/// </summary>
public static class HandoverDatasetBuilder
{
    public static HandoverDataset Build(PreparedScenario scenario, HandoverDatasetOptions options, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var baseSettings = scenario.Settings;
        var driving = baseSettings.Policies.FirstOrDefault(p => p.Policy == options.DrivingPolicy)
            ?? baseSettings.Policies[0] with { Policy = options.DrivingPolicy };
        var settings = baseSettings with { Policies = [driving], RecordMigrations = false };
        if (options.ReachSlaMs.Count == 0 || options.ReachSlaMs.Any(sla => !(sla > 0)))
        {
            throw new ArgumentException("reachSlaMs needs at least one positive SLA", nameof(options));
        }

        var network = new Network.SiteNetwork(scenario.Sites, settings.Latency, settings.Migration, scenario.Links);
        var future = new RecordedFuture(scenario.Mobility, network, settings.StepSeconds, settings.Steps, settings.Parallelism);
        var plan = PolicyCatalog.Find(driving.Policy)?.Needs.HasFlag(PolicyNeeds.OfflinePlan) == true
            ? Optimum.OptimalPlacement.Solve(future, driving.SlaLatencyMs, settings.ServiceEngine, settings.Parallelism, cancellationToken)
            : null;
        var recorder = new RecordingPolicy(
            PolicyCatalog.Create(driving, new PolicyInputs { Future = future, Plan = plan, MigrationSeconds = (from, to) => network.Migration(from, to).TotalSeconds }),
            scenario.Mobility.DeviceCount,
            settings.StepSeconds,
            Math.Max(1, options.SampleEverySteps),
            Math.Max(1, options.ReachEverySamples),
            options.ReachSlaMs);
        var engine = new SimulationEngine(settings, scenario.Mobility, scenario.Sites, scenario.Description, links: scenario.Links) { PolicyOverride = _ => recorder, Future = future };
        engine.Run(progress is null ? null : new Scaled(progress, 0, 0.8), cancellationToken);

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

        var reach = new List<SiteReachExample>(recorder.SiteSamples.Count);
        foreach (var sample in recorder.SiteSamples)
        {
            if (ReachLabel(future, sample.Device, sample.TimeSeconds, sample.Site, sample.SlaMs, step, options.ReachHorizonSeconds) is { } seconds)
            {
                reach.Add(new SiteReachExample(sample.Features, (float)seconds, options.GroupOffset + sample.Device));
            }
        }

        progress?.Report(1);
        return new HandoverDataset(examples, reach);
    }

    /// <summary>
    /// Seconds until the service, hosted on <paramref name="site"/>, first exceeds <paramref name="slaMs"/> for the
    /// device (0: it already does); the horizon when it does not within it or the trip ends first (no move is needed
    /// then either); null when the run ends before we know.
    /// </summary>
    internal static double? ReachLabel(IFutureLookup future, int device, double time, int site, double slaMs, double step, double horizon)
    {
        for (var tau = 0.0; tau <= horizon + 1e-9; tau += step)
        {
            if (time + tau > future.EndSeconds + 1e-9)
            {
                return null;
            }

            var latency = future.LatencyMsAt(device, time + tau, site);
            if (double.IsNaN(latency))
            {
                return tau == 0 ? null : horizon; // trip over
            }

            if (latency > slaMs)
            {
                return tau;
            }
        }

        return horizon;
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

    private readonly record struct SiteSample(int Device, double TimeSeconds, int Site, double SlaMs, float[] Features);

    /// <summary>Feeds every observation to the device's window, keeps a staggered subsample, and lets the driving policy decide.</summary>
    private sealed class RecordingPolicy(IHandoverPolicy inner, int devices, double stepSeconds, int every, int reachEvery, IReadOnlyList<double> slas) : IHandoverPolicy
    {
        private readonly DeviceFeatureWindow[] _windows = [.. Enumerable.Range(0, devices).Select(_ => new DeviceFeatureWindow())];

        public List<Sample> Samples { get; } = [];

        public List<SiteSample> SiteSamples { get; } = [];

        public string Name => inner.Name;

        public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state)
        {
            var features = _windows[observation.Device].Observe(in observation);
            var step = (long)Math.Round(observation.TimeSeconds / stepSeconds);
            if (features is not null && (step + observation.Device) % every == 0)
            {
                Samples.Add(new Sample(observation.Device, observation.TimeSeconds, features.ToArray(), [.. features.CandidateSites]));
                var sampleIndex = (step + observation.Device) / every;
                if (sampleIndex % reachEvery == 0)
                {
                    // SLAs in turn per device and sample, so every device and place sees each of them.
                    var sla = slas[(int)((sampleIndex / reachEvery + observation.Device) % slas.Count)];
                    foreach (var site in observation.Sites.Span)
                    {
                        var row = new float[SiteReachFeatures.Count];
                        if (_windows[observation.Device].DescribeSite(features, site.Site, sla, row))
                        {
                            SiteSamples.Add(new SiteSample(observation.Device, observation.TimeSeconds, site.Site, sla, row));
                        }
                    }
                }
            }

            return inner.Decide(in observation, ref state);
        }
    }

    private sealed class Scaled(IProgress<double> target, double from, double to) : IProgress<double>
    {
        public void Report(double value) => target.Report(from + (to - from) * value);
    }
}
