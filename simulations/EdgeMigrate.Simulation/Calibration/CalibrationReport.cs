using System.Globalization;
using System.Text;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Costs.Calibration;

namespace EdgeMigrate.Simulation.Calibration;

/// <summary>The calibration as Markdown: fitted parameters per group, and per migration the measured downtime and duration next to the model's before and after.</summary>
public static class CalibrationReport
{
    public static string Write(IReadOnlyList<MeasuredMigration> migrations, IReadOnlyList<GroupCalibration> groups, MigrationCostParameters defaults)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        ArgumentNullException.ThrowIfNull(groups);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("Fitted cost-model parameters per group (F = fixed freeze/restore cost, c = overhead per live round, each a + b·GiB of memory; S = setup):\n\n");
        text.Append("| group | migrations | bandwidth Mbit/s | F s | F s/GiB | c s | c s/GiB | S s | dirty rate MiB/s per workload | rms ln error |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        foreach (var g in groups)
        {
            var dirty = string.Join(", ", g.DirtyRateBytesPerSecond.Select(d => string.Create(c, $"{d.Key}: {d.Value / MigrationCostParameters.Mebibyte:0.00}")));
            text.Append(c, $"| {g.Group} | {g.Migrations} | {g.BandwidthBytesPerSecond * 8 / 1e6:0.0} | {g.FixedSeconds:0.000} | {g.FixedSecondsPerGiB:0.000} | {g.RoundOverheadSeconds:0.000} | {g.RoundOverheadSecondsPerGiB:0.000} | {g.SetupSeconds:0.000} | {dirty} | {g.RmsLogError:0.000} |\n");
        }

        text.Append("\nMeasured vs the cost model: before = the simulator's defaults (fixed cost ")
            .Append(c, $"{defaults.FixedDowntimeSeconds:0.0} s, no round overhead or setup) with the link's nominal rate and the workload's nominal dirty rate; after = the fit above.\n\n");
        text.Append("| migration | downtime s measured | before | after | total s measured | before | after |\n");
        text.Append("|---|---:|---:|---:|---:|---:|---:|\n");
        var before = new List<(double, double)>();
        var after = new List<(double, double)>();
        foreach (var m in migrations)
        {
            if (groups.FirstOrDefault(g => g.Group == m.Group) is not { } group)
            {
                continue;
            }

            var assumed = PreCopyCostModel.Estimate(CostModelCalibration.Assumed(m, defaults));
            var fitted = PreCopyCostModel.Estimate(group.ParametersFor(m.Workload, m.MemoryBytes, m.Mode, m.StopThresholdBytes, m.MaxRounds, asMeasured: true));
            before.Add((RelativeError(assumed.DowntimeSeconds, m.DowntimeSeconds), RelativeError(assumed.TotalSeconds, m.TotalSeconds)));
            after.Add((RelativeError(fitted.DowntimeSeconds, m.DowntimeSeconds), RelativeError(fitted.TotalSeconds, m.TotalSeconds)));
            text.Append(c, $"| {m.Name} | {m.DowntimeSeconds:0.000} | {assumed.DowntimeSeconds:0.000} | {fitted.DowntimeSeconds:0.000} | {m.TotalSeconds:0.0} | {assumed.TotalSeconds:0.0} | {fitted.TotalSeconds:0.0} |\n");
        }

        text.Append(c, $"\nMedian |model − measured| / measured over {before.Count} migrations: downtime {Median(before.Select(e => e.Item1)):0%} before, {Median(after.Select(e => e.Item1)):0%} after; ");
        text.Append(c, $"total time {Median(before.Select(e => e.Item2)):0%} before, {Median(after.Select(e => e.Item2)):0%} after.\n");
        return text.ToString();
    }

    /// <summary>Median relative error of downtime and total time for a set of parameters per migration.</summary>
    public static (double Downtime, double Total) MedianErrors(IEnumerable<MeasuredMigration> migrations, Func<MeasuredMigration, MigrationCostParameters> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = migrations.Select(m =>
        {
            var estimate = PreCopyCostModel.Estimate(parameters(m));
            return (RelativeError(estimate.DowntimeSeconds, m.DowntimeSeconds), RelativeError(estimate.TotalSeconds, m.TotalSeconds));
        }).ToList();
        return (Median(errors.Select(e => e.Item1)), Median(errors.Select(e => e.Item2)));
    }

    private static double RelativeError(double model, double measured) => Math.Abs(model - measured) / measured;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
