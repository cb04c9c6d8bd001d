using EdgeMigrate.Decision.Policies;

namespace EdgeMigrate.Simulation.Optimum;

/// <summary>
/// The offline optimum's migrations per device (start step and target site), plus what the solver found. The
/// <c>optimum</c> policy replays it inside the engine, which then measures it like any other policy.
/// </summary>
public sealed class OptimalPlan : IMigrationPlan
{
    private readonly int[][] _steps;
    private readonly int[][] _targets;
    private readonly double _stepSeconds;

    internal OptimalPlan(int[][] steps, int[][] targets, double stepSeconds, OptimalPlanStatistics statistics)
    {
        _steps = steps;
        _targets = targets;
        _stepSeconds = stepSeconds;
        Statistics = statistics;
    }

    public OptimalPlanStatistics Statistics { get; }

    public int TargetAt(int device, double timeSeconds)
    {
        if ((uint)device >= (uint)_steps.Length)
        {
            return -1;
        }

        var index = Array.BinarySearch(_steps[device], (int)Math.Round(timeSeconds / _stepSeconds));
        return index >= 0 ? _targets[device][index] : -1;
    }

    /// <summary>The planned migrations of one device: (start step, target site), in time order.</summary>
    public IEnumerable<(int Step, int Site)> MovesOf(int device) => _steps[device].Zip(_targets[device]);
}
