using System.Diagnostics;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Models;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Network;

namespace EdgeMigrate.Simulation.Optimum;

/// <summary>
/// The exact offline optimum per device, for the engine's own model: a shortest path over (step, hosting site) where
/// staying costs the step's SLA violation and a migration is an edge to (completion step, target) that costs what the
/// engine will account for it (the old host's latency during pre-copy, the downtime, nothing saved). Objective: fewest
/// SLA-violation seconds, then fewest migrations. Sites considered: the start site and every eligible site that meets
/// the SLA for the device at some step; with one migration cost for every pair any other site is dominated (a move to
/// a site that never meets the SLA can be replaced by staying put until the next move, which starts at the same time
/// and costs the same). Each step's cost is kept as integer nanoseconds, so sums do not depend on their order.
/// </summary>
public static class OptimalPlacement
{
    private const double Nanoseconds = 1e9;

    /// <param name="future">The recorded future of the run (serving sites and distances), with its network.</param>
    /// <param name="slaMs">Latency above this is a violation.</param>
    /// <param name="serviceEngine">Containers move only between sites of the start site's architecture.</param>
    /// <param name="parallelism">Worker threads (devices are independent; the result does not depend on it).</param>
    /// <param name="cancellationToken">Stops the search.</param>
    public static OptimalPlan Solve(RecordedFuture future, double slaMs, WorkloadEngine serviceEngine, int parallelism = 1, CancellationToken cancellationToken = default) =>
        Solve(future, slaMs, serviceEngine, parallelism, everySite: false, cancellationToken);

    /// <param name="future">The recorded future of the run.</param>
    /// <param name="slaMs">Latency above this is a violation.</param>
    /// <param name="serviceEngine">Containers move only between sites of the start site's architecture.</param>
    /// <param name="parallelism">Worker threads.</param>
    /// <param name="everySite">Tests: search over every eligible site, to check that the restriction loses nothing.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    internal static OptimalPlan Solve(RecordedFuture future, double slaMs, WorkloadEngine serviceEngine, int parallelism, bool everySite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(future);
        var wall = Stopwatch.StartNew();
        var network = future.Network;
        var sites = network.Sites;
        var neighbours = Neighbours(network, slaMs);
        var devices = future.DeviceCount;
        var steps = future.Steps;
        var timelines = new Dictionary<(double, double), MigrationTimeline>();
        MigrationTimeline TimelineOf(MigrationCostEstimate estimate)
        {
            lock (timelines)
            {
                var key = (estimate.TotalSeconds, estimate.DowntimeSeconds);
                if (!timelines.TryGetValue(key, out var timeline))
                {
                    timeline = new MigrationTimeline(estimate, future.StepSeconds, steps);
                    timelines[key] = timeline;
                }

                return timeline;
            }
        }

        var uniform = network.UniformMigrationCost ? TimelineOf(network.DefaultMigration) : null;
        var moveSteps = new int[devices][];
        var moveTargets = new int[devices][];
        var violationNs = new long[devices];
        var migrations = new int[devices];
        var candidateCounts = new int[devices];
        DeviceRanges.Run(devices, parallelism, (first, count) =>
        {
            var solver = new DeviceSolver(future, network, neighbours, slaMs, serviceEngine, uniform, TimelineOf, everySite);
            for (var device = first; device < first + count; device++)
            {
                if ((device & 255) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var result = solver.Solve(device);
                moveSteps[device] = result.Steps;
                moveTargets[device] = result.Targets;
                violationNs[device] = result.ViolationNs;
                migrations[device] = result.Migrations;
                candidateCounts[device] = result.Candidates;
            }
        });

        var exact = network.UniformMigrationCost && sites.Sites.All(s => s.Capacity == int.MaxValue);
        var statistics = new OptimalPlanStatistics(
            violationNs.Sum() / Nanoseconds,
            migrations.Sum(m => (long)m),
            devices > 0 ? candidateCounts.Average() : 0,
            exact,
            wall.Elapsed.TotalSeconds);
        return new OptimalPlan(moveSteps, moveTargets, future.StepSeconds, statistics);
    }

    /// <summary>Per site, the sites whose backhaul alone leaves room under the SLA (a superset of those that can meet it).</summary>
    private static int[][] Neighbours(SiteNetwork network, double slaMs)
    {
        var sites = network.Sites;
        var latency = network.Latency;
        var budget = slaMs - latency.AccessMs(0);
        var radius = latency.BackhaulMsPerKm > 0
            ? Math.Max(0, (budget - latency.BackhaulBaseMs) / latency.BackhaulMsPerKm * 1000)
            : budget >= latency.BackhaulBaseMs ? double.PositiveInfinity : 0;
        var extra = new Dictionary<int, List<int>>();
        foreach (var link in network.Links)
        {
            if (link.RttMs is { } rtt && rtt <= budget)
            {
                (extra.TryGetValue(link.From, out var a) ? a : extra[link.From] = []).Add(link.To);
                (extra.TryGetValue(link.To, out var b) ? b : extra[link.To] = []).Add(link.From);
            }
        }

        var result = new int[sites.Count][];
        var found = new List<int>();
        for (var site = 0; site < sites.Count; site++)
        {
            found.Clear();
            sites.Within(sites.PositionOf(site), radius, found);
            if (extra.TryGetValue(site, out var linked))
            {
                found.AddRange(linked);
            }

            if (!found.Contains(site))
            {
                found.Add(site);
            }

            result[site] = [.. found.Distinct()];
        }

        return result;
    }

    private readonly record struct DeviceResult(int[] Steps, int[] Targets, long ViolationNs, int Migrations, int Candidates);

    /// <summary>One worker's scratch space, reused from device to device.</summary>
    private sealed class DeviceSolver(
        RecordedFuture future,
        SiteNetwork network,
        int[][] neighbours,
        double slaMs,
        WorkloadEngine serviceEngine,
        MigrationTimeline? uniform,
        Func<MigrationCostEstimate, MigrationTimeline> timelineOf,
        bool everySite)
    {
        private readonly int _steps = future.Steps;
        private readonly long _stepNs = (long)Math.Round(future.StepSeconds * Nanoseconds);
        private readonly int[] _siteMark = new int[network.Sites.Count];
        private readonly int[] _siteSlot = new int[network.Sites.Count];
        private readonly List<int> _candidates = [];
        private readonly List<int> _servingSites = [];
        private readonly List<int> _closestStep = [];
        private readonly int[] _servingMark = new int[network.Sites.Count];
        private readonly int[] _servingSlotOf = new int[network.Sites.Count];
        private readonly int[] _servingSlot = new int[future.Steps];
        private int _stamp;
        private double[] _backhaul = [];
        private bool[] _violates = [];
        private long[] _prefix = [];
        private long[] _cost = [];
        private int[] _moves = [];
        private int[] _choice = [];
        private ulong[] _bits = [];
        private readonly List<int> _keep = [];
        private int[] _best = [];
        private int[] _second = [];

        public DeviceResult Solve(int device)
        {
            var steps = _steps;
            var first = 0;
            while (first < steps && future.ServingSiteAtStep(device, first) < 0)
            {
                first++;
            }

            if (first == steps)
            {
                return new DeviceResult([], [], 0, 0, 0);
            }

            var n = FindCandidates(device, first);
            n = Prepare(device, first, n);
            return Search(device, first, n);
        }

        /// <summary>The start site, then every eligible site meeting the SLA at some active step; fills the serving-site table too.</summary>
        private int FindCandidates(int device, int first)
        {
            _stamp++;
            _candidates.Clear();
            _servingSites.Clear();
            _closestStep.Clear();
            var sites = network.Sites.Sites;
            var start = future.ServingSiteAtStep(device, first);
            var architecture = sites[start].Architecture;
            Add(start);
            if (everySite)
            {
                for (var site = 0; site < sites.Count; site++)
                {
                    if (_siteMark[site] != _stamp && (serviceEngine != WorkloadEngine.Container || sites[site].Architecture == architecture))
                    {
                        Add(site);
                    }
                }
            }

            // Per distinct serving site, the step closest to it: latency grows with the access distance, so a site meets
            // the SLA at some step served by that site exactly when it does at that step.
            for (var s = first; s < _steps; s++)
            {
                var serving = future.ServingSiteAtStep(device, s);
                _servingSlot[s] = serving;
                if (serving < 0)
                {
                    continue;
                }

                if (_servingMark[serving] != _stamp)
                {
                    _servingMark[serving] = _stamp;
                    _servingSlotOf[serving] = _servingSites.Count;
                    _servingSites.Add(serving);
                    _closestStep.Add(s);
                }
                else if (future.AccessMetresAtStep(device, s) < future.AccessMetresAtStep(device, _closestStep[_servingSlotOf[serving]]))
                {
                    _closestStep[_servingSlotOf[serving]] = s;
                }
            }

            for (var v = 0; v < _servingSites.Count; v++)
            {
                var s = _closestStep[v];
                foreach (var site in neighbours[_servingSites[v]])
                {
                    if (_siteMark[site] != _stamp
                        && (serviceEngine != WorkloadEngine.Container || sites[site].Architecture == architecture)
                        && !(future.LatencyMsAtStep(device, s, site) > slaMs))
                    {
                        Add(site);
                    }
                }
            }

            return _candidates.Count;

            void Add(int site)
            {
                _siteMark[site] = _stamp;
                _siteSlot[site] = _candidates.Count;
                _candidates.Add(site);
            }
        }

        /// <summary>
        /// Violation per (step, candidate), then drops every candidate another one dominates (meets the SLA at least
        /// whenever it does: with one migration cost for every pair it is never a worse place to be or to leave from;
        /// the start site stays), then prefix sums per remaining candidate. Returns how many remain.
        /// </summary>
        private int Prepare(int device, int first, int n)
        {
            var steps = _steps;
            // Backhaul from each distinct serving site to each candidate: the latency sum below is the engine's (access + backhaul).
            Grow(ref _backhaul, _servingSites.Count * n);
            for (var v = 0; v < _servingSites.Count; v++)
            {
                for (var i = 0; i < n; i++)
                {
                    _backhaul[v * n + i] = network.BackhaulMs(_servingSites[v], _candidates[i]);
                }
            }

            Grow(ref _violates, steps * n);
            var latency = network.Latency;
            for (var s = first; s < steps; s++)
            {
                var serving = _servingSlot[s];
                var row = serving < 0 ? -1 : _servingSlotOf[serving];
                var accessMs = serving < 0 ? 0 : latency.AccessMs(future.AccessMetresAtStep(device, s));
                for (var i = 0; i < n; i++)
                {
                    _violates[s * n + i] = row >= 0 && accessMs + _backhaul[row * n + i] > slaMs;
                }
            }

            if (uniform is not null && !everySite)
            {
                n = DropDominated(first, n);
            }

            var cells = (steps + 1) * n;
            Grow(ref _prefix, cells);
            for (var i = 0; i < n; i++)
            {
                var p = i * (steps + 1) + first;
                _prefix[p] = 0;
                for (var s = first; s < steps; s++, p++)
                {
                    _prefix[p + 1] = _prefix[p] + (_violates[s * n + i] ? _stepNs : 0);
                }
            }

            Grow(ref _cost, cells);
            Grow(ref _moves, cells);
            Grow(ref _choice, steps * n);
            Grow(ref _best, steps + 1);
            Grow(ref _second, steps + 1);
            return n;
        }

        private int DropDominated(int first, int n)
        {
            var steps = _steps;
            var words = (steps - first + 63) / 64;
            Grow(ref _bits, n * words);
            Array.Clear(_bits, 0, n * words);
            for (var s = first; s < steps; s++)
            {
                var word = (s - first) >> 6;
                var bit = 1UL << ((s - first) & 63);
                for (var i = 0; i < n; i++)
                {
                    if (_violates[s * n + i])
                    {
                        _bits[i * words + word] |= bit;
                    }
                }
            }

            _keep.Clear();
            _keep.Add(0);
            for (var i = 1; i < n; i++)
            {
                var dominated = false;
                for (var j = 0; j < n && !dominated; j++)
                {
                    if (j == i)
                    {
                        continue;
                    }

                    // j violates only where i does (and, if exactly there, comes first): i is never needed.
                    var subset = true;
                    var equal = true;
                    for (var w = 0; w < words && subset; w++)
                    {
                        var a = _bits[j * words + w];
                        var b = _bits[i * words + w];
                        subset = (a & ~b) == 0;
                        equal &= a == b;
                    }

                    dominated = subset && (!equal || j < i);
                }

                if (!dominated)
                {
                    _keep.Add(i);
                }
            }

            if (_keep.Count == n)
            {
                return n;
            }

            // Compact in place: every destination precedes its source.
            var kept = _keep.Count;
            for (var s = first; s < steps; s++)
            {
                for (var k = 0; k < kept; k++)
                {
                    _violates[s * kept + k] = _violates[s * n + _keep[k]];
                }
            }

            for (var k = 0; k < kept; k++)
            {
                _candidates[k] = _candidates[_keep[k]];
            }

            _candidates.RemoveRange(kept, n - kept);
            return kept;
        }

        private DeviceResult Search(int device, int first, int n)
        {
            var steps = _steps;
            for (var i = 0; i < n; i++)
            {
                _cost[steps * n + i] = 0;
                _moves[steps * n + i] = 0;
            }

            RankRow(steps, n);
            for (var s = steps - 1; s >= first; s--)
            {
                var active = _servingSlot[s] >= 0;
                for (var i = 0; i < n; i++)
                {
                    var stay = (_violates[s * n + i] ? _stepNs : 0) + _cost[(s + 1) * n + i];
                    var stayMoves = _moves[(s + 1) * n + i];
                    var choice = -1;
                    if (active)
                    {
                        if (uniform is not null)
                        {
                            var c = Math.Min(uniform.CompletionStep(s), steps);
                            var target = _best[c] != i ? _best[c] : _second[c];
                            if (target >= 0)
                            {
                                var cost = MigrationCost(s, i, uniform) + _cost[c * n + target];
                                var moves = _moves[c * n + target] + 1;
                                if (cost < stay || (cost == stay && moves < stayMoves))
                                {
                                    (stay, stayMoves, choice) = (cost, moves, target);
                                }
                            }
                        }
                        else
                        {
                            for (var target = 0; target < n; target++)
                            {
                                if (target == i)
                                {
                                    continue;
                                }

                                var timeline = timelineOf(network.Migration(_candidates[i], _candidates[target]));
                                var c = Math.Min(timeline.CompletionStep(s), steps);
                                var cost = MigrationCost(s, i, timeline) + _cost[c * n + target];
                                var moves = _moves[c * n + target] + 1;
                                if (cost < stay || (cost == stay && moves < stayMoves))
                                {
                                    (stay, stayMoves, choice) = (cost, moves, target);
                                }
                            }
                        }
                    }

                    _cost[s * n + i] = stay;
                    _moves[s * n + i] = stayMoves;
                    _choice[s * n + i] = choice;
                }

                RankRow(s, n);
            }

            // Replay the choices from the start site.
            var planSteps = new List<int>();
            var planTargets = new List<int>();
            var host = 0;
            var step = first;
            while (step < steps)
            {
                var choice = _choice[step * n + host];
                if (choice < 0)
                {
                    step++;
                    continue;
                }

                planSteps.Add(step);
                planTargets.Add(_candidates[choice]);
                var timeline = uniform ?? timelineOf(network.Migration(_candidates[host], _candidates[choice]));
                host = choice;
                step = timeline.CompletionStep(step);
            }

            return new DeviceResult([.. planSteps], [.. planTargets], _cost[first * n], _moves[first * n], n);
        }

        /// <summary>What the engine accounts from the start step to the completion step for a migration leaving candidate <paramref name="i"/>.</summary>
        private long MigrationCost(int s, int i, MigrationTimeline timeline)
        {
            var steps = _steps;
            var n = _candidates.Count;
            var c = Math.Min(timeline.CompletionStep(s), steps);
            var row = i * (steps + 1);
            var cost = _prefix[row + c] - _prefix[row + s];
            for (var k = 0; k < timeline.DowntimeCount(s); k++)
            {
                var j = timeline.DowntimeStepAt(s, k);
                if (j >= steps || _servingSlot[j] < 0)
                {
                    continue;
                }

                var (violating, meeting) = timeline.DowntimeNsAt(s, k);
                cost += _violates[j * n + i] ? violating - _stepNs : meeting;
            }

            return cost;
        }

        /// <summary>The best and second-best candidate to arrive at in row <paramref name="s"/> (cost, then moves, then index).</summary>
        private void RankRow(int s, int n)
        {
            int best = -1, second = -1;
            for (var i = 0; i < n; i++)
            {
                if (best < 0 || Better(s, n, i, best))
                {
                    second = best;
                    best = i;
                }
                else if (second < 0 || Better(s, n, i, second))
                {
                    second = i;
                }
            }

            _best[s] = best;
            _second[s] = second;
        }

        private bool Better(int s, int n, int a, int b)
        {
            var ca = _cost[s * n + a];
            var cb = _cost[s * n + b];
            return ca < cb || (ca == cb && _moves[s * n + a] < _moves[s * n + b]);
        }

        private static void Grow<T>(ref T[] array, int size)
        {
            if (array.Length < size)
            {
                array = new T[Math.Max(size, array.Length * 2)];
            }
        }
    }
}
