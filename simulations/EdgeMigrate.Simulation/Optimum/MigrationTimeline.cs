using EdgeMigrate.Decision.Costs;

namespace EdgeMigrate.Simulation.Optimum;

/// <summary>
/// For a migration of one cost started at each step: the step at which the engine completes it, and the steps its
/// downtime overlaps with how much. Computed with the engine's own expressions (start = step · dt, completion when
/// end ≤ t + 1e-9, overlap = min(t + dt, end) − max(t, end − downtime)), so the optimum charges exactly what the
/// engine will account.
/// </summary>
internal sealed class MigrationTimeline
{
    private readonly int[] _completion;
    private readonly int[] _overlapStart;
    private readonly int[] _overlapCount;
    private readonly List<int> _overlapStep = [];
    private readonly List<double> _overlapSeconds = [];
    private readonly List<long> _violatingNs = [];
    private readonly List<long> _meetingNs = [];

    public MigrationTimeline(MigrationCostEstimate estimate, double dt, int steps)
    {
        _completion = new int[steps];
        _overlapStart = new int[steps];
        _overlapCount = new int[steps];
        for (var s = 0; s < steps; s++)
        {
            var t = s * dt;
            var end = t + estimate.TotalSeconds;
            var downtimeStart = end - estimate.DowntimeSeconds;
            var c = s + 1;
            while (c < steps && !(end <= (c * dt) + 1e-9))
            {
                c++;
            }

            _completion[s] = c;
            _overlapStart[s] = _overlapStep.Count;
            for (var j = s; j < Math.Min(c, steps); j++)
            {
                var tj = j * dt;
                var overlap = Math.Max(0, Math.Min(tj + dt, end) - Math.Max(tj, downtimeStart));
                if (overlap > 0)
                {
                    _overlapStep.Add(j);
                    _overlapSeconds.Add(overlap);
                    // The engine's violation for the step, with the old host breaking the SLA or not, in nanoseconds.
                    _violatingNs.Add((long)Math.Round((dt - overlap + overlap) * 1e9));
                    _meetingNs.Add((long)Math.Round(overlap * 1e9));
                }
            }

            _overlapCount[s] = _overlapStep.Count - _overlapStart[s];
        }
    }

    /// <summary>The step at which a migration started at <paramref name="step"/> has completed (may be ≥ the run's steps).</summary>
    public int CompletionStep(int step) => _completion[step];

    /// <summary>The steps of the migration's downtime and the seconds of each step it covers.</summary>
    public IEnumerable<(int Step, double Seconds)> Downtime(int step)
    {
        for (var i = _overlapStart[step]; i < _overlapStart[step] + _overlapCount[step]; i++)
        {
            yield return (_overlapStep[i], _overlapSeconds[i]);
        }
    }

    public int DowntimeCount(int step) => _overlapCount[step];

    public int DowntimeStepAt(int step, int i) => _overlapStep[_overlapStart[step] + i];

    public double DowntimeSecondsAt(int step, int i) => _overlapSeconds[_overlapStart[step] + i];

    /// <summary>What the engine accounts for the i-th downtime step, in nanoseconds, when the old host breaks the SLA then (<c>(dt − overlap) + overlap</c>) or meets it (<c>overlap</c>).</summary>
    public (long Violating, long Meeting) DowntimeNsAt(int step, int i) => (_violatingNs[_overlapStart[step] + i], _meetingNs[_overlapStart[step] + i]);
}
