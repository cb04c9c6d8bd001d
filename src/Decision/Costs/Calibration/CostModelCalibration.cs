using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Costs.Calibration;

/// <summary>
/// Fits the pre-copy cost model to measured migrations, one group (path and engine) at a time: the parameters that
/// minimise the squared log-ratio of predicted to measured downtime and duration over the group's migrations, found
/// by Nelder–Mead in log space (every parameter stays positive) from several fixed starts. Deterministic.
/// </summary>
public static class CostModelCalibration
{
    private const double GiB = 1024.0 * 1024 * 1024;
    private const double Floor = 1e-4;

    /// <summary>What the simulator assumes without calibration: its default parameters, the link's nominal rate and the workload's nominal dirty rate when known.</summary>
    public static MigrationCostParameters Assumed(MeasuredMigration migration, MigrationCostParameters defaults)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults with
        {
            MemoryBytes = migration.MemoryBytes,
            BandwidthBytesPerSecond = migration.NominalBandwidthBytesPerSecond ?? defaults.BandwidthBytesPerSecond,
            DirtyRateBytesPerSecond = migration.NominalDirtyRateBytesPerSecond ?? defaults.DirtyRateBytesPerSecond,
            StopThresholdBytes = migration.StopThresholdBytes,
            MaxRounds = migration.MaxRounds,
            Mode = migration.Mode,
            FallBackToStopAndCopy = false,
        };
    }

    /// <summary>One calibration per group, in order of first appearance.</summary>
    public static IReadOnlyList<GroupCalibration> Fit(IReadOnlyList<MeasuredMigration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var usable = migrations.Where(m => m.MemoryBytes > 0 && m.DowntimeSeconds > 0 && m.TotalSeconds > 0 && double.IsFinite(m.DowntimeSeconds) && double.IsFinite(m.TotalSeconds)).ToList();
        var groups = new List<GroupCalibration>();
        foreach (var group in usable.GroupBy(m => m.Group, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            groups.Add(FitGroup(group.Key, [.. group]));
        }

        return groups;
    }

    /// <summary>ln(predicted / measured) for downtime and duration.</summary>
    public static (double Downtime, double Total) LogErrors(MeasuredMigration migration, MigrationCostParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(migration);
        var estimate = PreCopyCostModel.Estimate(parameters);
        return (Math.Log(estimate.DowntimeSeconds / migration.DowntimeSeconds), Math.Log(estimate.TotalSeconds / migration.TotalSeconds));
    }

    private static GroupCalibration FitGroup(string name, List<MeasuredMigration> rows)
    {
        var workloads = rows.Select(r => r.Workload).Distinct(StringComparer.Ordinal).ToList();
        // Parameters, all as logarithms: bandwidth, fixed, fixed per GiB, round overhead, round overhead per GiB, setup, then one dirty rate per workload.
        var nominalBandwidth = rows.Select(r => r.NominalBandwidthBytesPerSecond).FirstOrDefault(b => b is not null)
            ?? Median(rows.Where(r => r.Mode == MigrationMode.StopAndCopy).Select(r => r.MemoryBytes / r.DowntimeSeconds).DefaultIfEmpty(12.5e6));
        var start = new double[6 + workloads.Count];
        start[0] = Math.Log(nominalBandwidth);
        start[1] = Math.Log(Math.Max(Floor, Median(rows.Select(r => r.DowntimeSeconds)) / 2));
        start[2] = Math.Log(0.5);
        start[3] = Math.Log(0.5);
        start[4] = Math.Log(0.5);
        start[5] = Math.Log(0.5);
        for (var w = 0; w < workloads.Count; w++)
        {
            var nominal = rows.First(r => r.Workload == workloads[w]).NominalDirtyRateBytesPerSecond;
            start[6 + w] = Math.Log(Math.Max(nominal ?? MigrationCostParameters.Mebibyte, 0.01 * MigrationCostParameters.Mebibyte));
        }

        double Objective(double[] x)
        {
            var sum = 0.0;
            foreach (var row in rows)
            {
                var (downtime, total) = LogErrors(row, Parameters(x, workloads, row));
                sum += downtime * downtime + total * total;
            }

            // A faint pull towards the start keeps parameters the data cannot tell apart (e.g. one memory size only) finite.
            for (var d = 0; d < x.Length; d++)
            {
                sum += 1e-4 * (x[d] - start[d]) * (x[d] - start[d]);
            }

            return double.IsFinite(sum) ? sum : double.MaxValue;
        }

        // The round count jumps with the parameters, so the objective has plateaus and local minima: refine from the
        // start and from starts with 3x lower and higher dirty rates and round overheads, keep the best.
        var best = start;
        var bestValue = Objective(start);
        foreach (var (first, scale) in new[] { (6, 0.0), (6, Math.Log(3)), (6, -Math.Log(3)), (3, Math.Log(3)), (3, -Math.Log(3)) })
        {
            var point = (double[])start.Clone();
            for (var d = first; d < point.Length && (first == 6 || d < 5); d++)
            {
                point[d] += scale;
            }

            foreach (var step in new[] { 1.0, 0.5, 0.25, 0.1, 0.05 })
            {
                point = NelderMead.Minimise(Objective, point, step, 4000);
            }

            var value = Objective(point);
            if (value < bestValue)
            {
                (best, bestValue) = (point, value);
            }
        }

        var residuals = rows.SelectMany(r =>
        {
            var (downtime, total) = LogErrors(r, Parameters(best, workloads, r));
            return new[] { downtime, total };
        }).ToList();
        return new GroupCalibration
        {
            Group = name,
            BandwidthBytesPerSecond = Math.Exp(best[0]),
            FixedSeconds = Positive(best[1]),
            FixedSecondsPerGiB = Positive(best[2]),
            RoundOverheadSeconds = Positive(best[3]),
            RoundOverheadSecondsPerGiB = Positive(best[4]),
            SetupSeconds = Positive(best[5]),
            DirtyRateBytesPerSecond = workloads.Select((w, i) => (w, Positive(best[6 + i]))).ToDictionary(p => p.w, p => p.Item2, StringComparer.Ordinal),
            Migrations = rows.Count,
            RmsLogError = Math.Sqrt(residuals.Average(e => e * e)),
        };
    }

    private static MigrationCostParameters Parameters(double[] x, List<string> workloads, MeasuredMigration row)
    {
        var gib = row.MemoryBytes / GiB;
        return new MigrationCostParameters
        {
            MemoryBytes = row.MemoryBytes,
            BandwidthBytesPerSecond = Math.Exp(x[0]),
            FixedDowntimeSeconds = Positive(x[1]) + Positive(x[2]) * gib,
            RoundOverheadSeconds = Positive(x[3]) + Positive(x[4]) * gib,
            SetupSeconds = Positive(x[5]),
            DirtyRateBytesPerSecond = Positive(x[6 + workloads.IndexOf(row.Workload)]),
            StopThresholdBytes = row.StopThresholdBytes,
            MaxRounds = row.MaxRounds,
            Mode = row.Mode,
            FallBackToStopAndCopy = false, // what was measured is what the agent did when asked
        };
    }

    /// <summary>exp(x), with values below a tenth of a millisecond (or byte per second) read as 0.</summary>
    private static double Positive(double x)
    {
        var value = Math.Exp(x);
        return value < Floor ? 0 : value;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
