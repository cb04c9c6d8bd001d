using System.Diagnostics;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Network;
using EdgeMigrate.Simulation.Optimum;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>
/// Time-stepped discrete-event core. Every step moves all devices, finds their serving site, fires the migration
/// completions that are due (a priority queue per policy), lets each policy decide per device, and accounts
/// latency, SLA violation and downtime over the step. All policies see the same mobility in the same pass.
/// Deterministic: no wall clock, no hash ordering, per-device seeded randomness in the mobility models. Parallel
/// without changing a bit: devices are moved in ranges on several threads (each device's result lands in its own
/// slot), then each policy's world is advanced by one thread at a time, device by device in index order.
/// </summary>
public sealed class SimulationEngine
{
    private readonly SimulationSettings _settings;
    private readonly IMobilityModel _mobility;
    private readonly SiteLayout _sites;
    private readonly SiteNetwork _network;
    private readonly string _mobilityDescription;
    private readonly IHandoverPredictor? _predictor;

    /// <param name="settings">What to run.</param>
    /// <param name="mobility">Where devices are.</param>
    /// <param name="sites">Where services can run.</param>
    /// <param name="mobilityDescription">For the summary.</param>
    /// <param name="predictor">The trained model the <c>predictive</c> policy uses; required when it is listed.</param>
    /// <param name="links">Per-site-pair RTT and bandwidth overriding the latency and cost models for those pairs.</param>
    public SimulationEngine(SimulationSettings settings, IMobilityModel mobility, SiteLayout sites, string mobilityDescription = "", IHandoverPredictor? predictor = null, IReadOnlyList<SiteLink>? links = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(settings));
        }

        _settings = settings;
        _mobility = mobility;
        _sites = sites;
        _network = new SiteNetwork(sites, settings.Latency, settings.Migration, links);
        _mobilityDescription = mobilityDescription;
        _predictor = predictor;
    }

    /// <summary>
    /// Training and tests: supplies the policy for a <see cref="PolicySettings"/> (e.g. one that records what it sees);
    /// returning null builds the named policy as usual.
    /// </summary>
    public Func<PolicySettings, IHandoverPolicy?>? PolicyOverride { get; init; }

    /// <summary>A recorded future of this mobility to reuse instead of recording one (training records one for its labels).</summary>
    public RecordedFuture? Future { get; init; }

    /// <summary>What one migration costs under these settings between sites without a link of their own.</summary>
    public MigrationCostEstimate MigrationEstimate => _network.DefaultMigration;

    /// <summary>Latency and migration costs between the sites of this run.</summary>
    public SiteNetwork Network => _network;

    public SimulationResult Run(IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var settings = _settings;
        var dt = settings.StepSeconds;
        var steps = settings.Steps;
        var devices = _mobility.DeviceCount;
        var k = Math.Min(settings.CandidateSites, _sites.Count);
        var parallelism = settings.Parallelism;

        var (policies, plan, optimumSeconds) = CreatePolicies(parallelism, cancellationToken);
        var runs = settings.Policies.Select((p, i) => new PolicyRun(p, policies[i], devices, _sites.Count, steps, k)).ToArray();

        var positions = new PlanarPoint[devices];
        var geo = new GeoPoint[devices];
        var active = new bool[devices];
        var nearest = new int[devices * k];
        var nearestMetres = new double[devices * k];
        var serving = new int[devices];
        var servingSince = new double[devices];
        var previousServing = Enumerable.Repeat(-1, devices).ToArray();
        var moved = new long[Math.Max(1, parallelism)];
        var world = new StepWorld(active, positions, geo, nearest, nearestMetres, serving, servingSince, k);

        _mobility.Reset();
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var t = step * dt;
            var workers = Math.Min(parallelism, Math.Max(1, devices));
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var first = (int)((long)devices * w / workers);
                var count = (int)((long)devices * (w + 1) / workers) - first;
                moved[w] += MoveDevices(t, first, count, world, previousServing);
            });

            Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, r => Advance(runs[r], step, t, world));
            progress?.Report((step + 1) / (double)steps);
        }

        wall.Stop();
        var events = moved.Sum() + runs.Sum(r => r.Events);
        return BuildResult(runs, devices, steps, events, wall.Elapsed.TotalSeconds, plan, optimumSeconds);
    }

    /// <summary>Positions, nearest sites and serving sites of devices [first, first + count) at time t; returns how many are active.</summary>
    private long MoveDevices(double t, int first, int count, StepWorld world, int[] previousServing)
    {
        var k = world.K;
        _mobility.MoveTo(t, first, count, world.Positions, world.Active);
        long active = 0;
        for (var d = first; d < first + count; d++)
        {
            if (!world.Active[d])
            {
                previousServing[d] = -1;
                continue;
            }

            active++;
            _sites.Nearest(world.Positions[d], world.Nearest.AsSpan(d * k, k), world.NearestMetres.AsSpan(d * k, k));
            world.Serving[d] = world.Nearest[d * k];
            if (world.Serving[d] != previousServing[d])
            {
                world.ServingSince[d] = t;
                previousServing[d] = world.Serving[d];
            }

            world.Geo[d] = _mobility.Projection.ToGeo(world.Positions[d]);
        }

        return active;
    }

    /// <summary>One policy's world over one step: completions, decisions, accounting; device by device in index order.</summary>
    private void Advance(PolicyRun run, int step, double t, StepWorld world)
    {
        var settings = _settings;
        var dt = settings.StepSeconds;
        var latency = settings.Latency;
        var jitter = latency.MeasurementJitterMs > 0;
        var k = world.K;
        var devices = world.Active.Length;
        var measurements = run.Measurements;
        run.Events += CompleteDueMigrations(run, t, world.Active, world.Serving, world.ServingSince);
        var sla = run.Settings.SlaLatencyMs;
        var latencySum = 0.0;
        var activeCount = 0;
        var violating = 0;
        for (var d = 0; d < devices; d++)
        {
            if (!world.Active[d])
            {
                continue;
            }

            ref var state = ref run.States[d];
            var site = world.Serving[d];
            var accessMs = latency.AccessMs(world.NearestMetres[d * k]);
            if (state.Host < 0)
            {
                // First appearance: the service starts at the device's serving site (capacity not enforced here).
                state.Host = site;
                state.ServiceArchitecture = _sites.Sites[site].Architecture;
                run.Hosted[site]++;
            }

            if (state.PendingLeadTarget == site)
            {
                ResolveLead(run, ref state, world.ServingSince[d] - state.PendingLeadCompletion);
            }

            // Observation: the eligible nearest sites plus the hosting site.
            var count = 0;
            for (var i = 0; i < k; i++)
            {
                var candidate = world.Nearest[d * k + i];
                if (candidate == state.Host || !Eligible(run, in state, candidate))
                {
                    continue;
                }

                var candidateMs = accessMs + _network.BackhaulMs(site, candidate);
                if (jitter)
                {
                    candidateMs = Math.Max(0, candidateMs + latency.MeasurementNoiseMs(d, step, candidate));
                }

                measurements[count++] = new SiteMeasurement(candidate, candidateMs, world.NearestMetres[d * k + i]);
            }

            var hostMs = accessMs + _network.BackhaulMs(site, state.Host);
            // What the policy measures may be noisy; what the service gets (hostMs) is not.
            var measuredHostMs = jitter ? Math.Max(0, hostMs + latency.MeasurementNoiseMs(d, step, state.Host)) : hostMs;
            measurements[count++] = new SiteMeasurement(state.Host, measuredHostMs, world.Positions[d].DistanceTo(_sites.PositionOf(state.Host)));
            var observation = new DeviceObservation(d, t, world.Geo[d], site, state.Host, state.Target >= 0, measurements.AsMemory(0, count));
            var decision = run.Policy.Decide(in observation, ref state.Policy);
            run.Events++;
            if (decision.Migrate && state.Target < 0 && decision.TargetSite != state.Host && decision.TargetSite >= 0 && decision.TargetSite < _sites.Count)
            {
                if (Eligible(run, in state, decision.TargetSite))
                {
                    StartMigration(run, ref state, d, decision.TargetSite, t);
                    run.Events++;
                }
                else
                {
                    run.Refused++;
                }
            }

            // Account [t, t + dt): during pre-copy latency is the old host's; the final downtime counts as violation.
            var downtime = state.Target >= 0 ? Math.Max(0, Math.Min(t + dt, state.MigrationEnd) - Math.Max(t, state.DowntimeStart)) : 0;
            var violation = (hostMs > sla ? dt - downtime : 0) + downtime;
            run.ViolationSeconds += violation;
            run.DowntimeSeconds += downtime;
            run.Histogram.Add(hostMs);
            run.LatencySum += hostMs;
            run.DeviceSeconds += dt;
            latencySum += hostMs;
            activeCount++;
            violating += violation > 0 ? 1 : 0;
        }

        run.Timeline.MeanLatencyMs[step] = activeCount > 0 ? latencySum / activeCount : double.NaN;
        run.Timeline.Violating[step] = violating;
        run.Timeline.CumulativeMigrations[step] = run.Migrations;
    }

    private (IHandoverPolicy[] Policies, OptimalPlan? Plan, double OptimumSeconds) CreatePolicies(int parallelism, CancellationToken cancellationToken)
    {
        var settings = _settings.Policies;
        var policies = new IHandoverPolicy?[settings.Count];
        var needs = PolicyNeeds.None;
        for (var i = 0; i < settings.Count; i++)
        {
            policies[i] = PolicyOverride?.Invoke(settings[i]);
            if (policies[i] is null)
            {
                needs |= PolicyCatalog.Find(settings[i].Policy)!.Needs;
            }
        }

        if ((needs & PolicyNeeds.Model) != 0 && _predictor is null)
        {
            throw new InvalidOperationException("predictive: needs a trained handover model (simulator: --model FILE)");
        }

        var future = (needs & (PolicyNeeds.Future | PolicyNeeds.OfflinePlan)) != 0
            ? Future ?? new RecordedFuture(_mobility, _network, _settings.StepSeconds, _settings.Steps, parallelism)
            : null;
        OptimalPlan? plan = null;
        var optimumSeconds = 0.0;
        if ((needs & PolicyNeeds.OfflinePlan) != 0)
        {
            var clock = Stopwatch.StartNew();
            var sla = settings.First(p => PolicyCatalog.Find(p.Policy)!.Needs.HasFlag(PolicyNeeds.OfflinePlan)).SlaLatencyMs;
            plan = OptimalPlacement.Solve(future!, sla, _settings.ServiceEngine, parallelism, cancellationToken);
            optimumSeconds = clock.Elapsed.TotalSeconds;
        }

        var inputs = new PolicyInputs
        {
            Model = _predictor,
            Future = future,
            Plan = plan,
            MigrationSeconds = (from, to) => _network.Migration(from, to).TotalSeconds,
        };
        return ([.. settings.Select((p, i) => policies[i] ?? PolicyCatalog.Create(p, inputs))], plan, optimumSeconds);
    }

    private bool Eligible(PolicyRun run, in DeviceServiceState state, int site)
    {
        var target = _sites.Sites[site];
        if (_settings.ServiceEngine == WorkloadEngine.Container && target.Architecture != state.ServiceArchitecture)
        {
            return false; // a container checkpoint restores only on the same ISA
        }

        return run.Hosted[site] < target.Capacity;
    }

    private void StartMigration(PolicyRun run, ref DeviceServiceState state, int device, int target, double t)
    {
        var estimate = _network.Migration(state.Host, target);
        var pingPong = target == state.PreviousHost && t - state.LastCompletion <= _settings.PingPongWindowSeconds;
        run.Migrations++;
        run.PingPongs += pingPong ? 1 : 0;
        run.NonConverged += estimate.Converged ? 0 : 1;
        run.Bytes += estimate.BytesTransferred;
        run.Hosted[target]++; // reserved from the start so two services cannot race for the last slot
        state.Target = target;
        state.MigrationEnd = t + estimate.TotalSeconds;
        state.DowntimeStart = state.MigrationEnd - estimate.DowntimeSeconds;
        // An earlier move whose site the device never reached gets no lead time.
        state.PendingLeadTarget = -1;
        state.PendingLeadRecord = -1;

        state.InFlightRecord = -1;
        if (_settings.RecordMigrations)
        {
            state.InFlightRecord = run.Records.Count;
            run.Records.Add(new MigrationRecord(
                run.Settings.Policy, _mobility.DeviceId(device), t, state.MigrationEnd, _sites.Sites[state.Host].Id, _sites.Sites[target].Id,
                estimate.BytesTransferred, estimate.DowntimeSeconds, estimate.Rounds, estimate.Mode, estimate.Converged, pingPong, null));
        }

        run.Completions.Enqueue(device, (state.MigrationEnd, run.Sequence++));
    }

    private static int CompleteDueMigrations(PolicyRun run, double t, bool[] active, int[] serving, double[] servingSince)
    {
        var completed = 0;
        while (run.Completions.TryPeek(out var device, out var due) && due.Time <= t + 1e-9)
        {
            run.Completions.Dequeue();
            ref var state = ref run.States[device];
            run.Hosted[state.Host]--;
            state.PreviousHost = state.Host;
            state.Host = state.Target;
            state.Target = -1;
            state.LastCompletion = due.Time;
            state.PendingLeadRecord = state.InFlightRecord;
            state.PendingLeadCompletion = due.Time;
            run.Completed++;
            completed++;
            if (active[device] && serving[device] == state.Host)
            {
                // Already attached there: the service arrived after (or, if the switch came this very step, before) the device.
                ResolveLead(run, ref state, servingSince[device] - due.Time);
            }
            else
            {
                state.PendingLeadTarget = state.Host;
            }
        }

        return completed;
    }

    private static void ResolveLead(PolicyRun run, ref DeviceServiceState state, double lead)
    {
        run.LeadTimes.Add(lead);
        run.Late += lead < 0 ? 1 : 0;
        if (state.PendingLeadRecord >= 0)
        {
            run.Records[state.PendingLeadRecord] = run.Records[state.PendingLeadRecord] with { LeadTimeSeconds = lead };
        }

        state.PendingLeadTarget = -1;
        state.PendingLeadRecord = -1;
    }

    private SimulationResult BuildResult(PolicyRun[] runs, int devices, int steps, long events, double wallSeconds, OptimalPlan? plan, double optimumSeconds)
    {
        var estimate = _network.DefaultMigration;
        var metrics = new OrderedDictionary<string, PolicyMetrics>(StringComparer.Ordinal);
        var timelines = new OrderedDictionary<string, PolicyTimeline>(StringComparer.Ordinal);
        var latencies = new OrderedDictionary<string, LatencyHistogram>(StringComparer.Ordinal);
        // Share of the reactive → optimum gap in SLA-violation seconds each policy closes, when both ran.
        var reactive = runs.FirstOrDefault(r => r.Settings.Policy == PolicyCatalog.Reactive.Name)?.ViolationSeconds;
        var optimum = runs.FirstOrDefault(r => r.Settings.Policy == PolicyCatalog.Optimum.Name)?.ViolationSeconds;
        var gap = reactive - optimum;
        foreach (var run in runs)
        {
            var leads = run.LeadTimes.Order().ToArray();
            var samples = run.Histogram.Count;
            metrics.Add(run.Settings.Policy, new PolicyMetrics
            {
                Migrations = run.Migrations,
                CompletedMigrations = run.Completed,
                PingPongs = run.PingPongs,
                SlaViolationSeconds = Math.Round(run.ViolationSeconds, 3),
                DowntimeSeconds = Math.Round(run.DowntimeSeconds, 3),
                BytesTransferred = (long)Math.Round(run.Bytes),
                MeanLatencyMs = samples > 0 ? Math.Round(run.LatencySum / samples, 3) : 0,
                P95LatencyMs = run.Histogram.Percentile(0.95),
                DeviceSeconds = Math.Round(run.DeviceSeconds, 3),
                SlaViolationShare = run.DeviceSeconds > 0 ? Math.Round(run.ViolationSeconds / run.DeviceSeconds, 6) : 0,
                MeanLeadTimeSeconds = leads.Length > 0 ? Math.Round(leads.Average(), 3) : null,
                MedianLeadTimeSeconds = leads.Length > 0 ? Math.Round(leads[leads.Length / 2], 3) : null,
                LateMigrations = run.Late,
                NonConvergedMigrations = run.NonConverged,
                RefusedMigrations = run.Refused,
                GapClosed = gap > 1e-9 ? Math.Round((reactive!.Value - run.ViolationSeconds) / gap.Value, 4) : null,
            });
            timelines.Add(run.Settings.Policy, run.Timeline);
            latencies.Add(run.Settings.Policy, run.Histogram);
        }

        var summary = new SimulationSummary
        {
            Seed = _settings.Seed,
            Devices = devices,
            Sites = _sites.Count,
            SimulatedSeconds = steps * _settings.StepSeconds,
            StepSeconds = _settings.StepSeconds,
            WallSeconds = Math.Round(wallSeconds, 3),
            Events = events,
            Mobility = _mobilityDescription,
            SlaLatencyMs = _settings.Policies[0].SlaLatencyMs,
            MigrationEstimate = new MigrationEstimateSummary(
                estimate.Mode == MigrationMode.PreCopy ? "pre-copy" : estimate.Mode == MigrationMode.StopAndCopy ? "stop-and-copy" : "post-copy",
                estimate.Rounds,
                Math.Round(estimate.TotalSeconds, 3),
                Math.Round(estimate.DowntimeSeconds, 3),
                (long)Math.Round(estimate.BytesTransferred),
                estimate.Converged),
            Policies = metrics,
            Optimum = plan is null ? null : new OptimumSummary(
                Math.Round(plan.Statistics.ViolationSeconds, 3),
                plan.Statistics.Migrations,
                Math.Round(plan.Statistics.MeanCandidateSites, 2),
                plan.Statistics.Exact,
                Math.Round(optimumSeconds, 3)),
        };
        var stepTimes = Enumerable.Range(0, steps).Select(s => s * _settings.StepSeconds).ToArray();
        return new SimulationResult(summary, [.. runs.SelectMany(r => r.Records)], timelines, latencies, stepTimes);
    }
}
