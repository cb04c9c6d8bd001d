using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Costs.Calibration;
using EdgeMigrate.Models;

namespace EdgeMigrate.Decision.Tests;

[Trait("Category", "Unit")]
public sealed class CostModelCalibrationTests
{
    private const double MiB = MigrationCostParameters.Mebibyte;

    /// <summary>Migrations "measured" from a known model: the fit must find a model that predicts them all.</summary>
    private static List<MeasuredMigration> FromModel(double bandwidth, double fixedSeconds, double fixedPerGiB, double overhead, double overheadPerGiB, double setup, IReadOnlyDictionary<string, double> dirty)
    {
        var rows = new List<MeasuredMigration>();
        foreach (var (workload, rate) in dirty)
        {
            foreach (var mib in new[] { 64.0, 256.0 })
            {
                foreach (var mode in new[] { MigrationMode.PreCopy, MigrationMode.StopAndCopy })
                {
                    var gib = mib / 1024;
                    var estimate = PreCopyCostModel.Estimate(new MigrationCostParameters
                    {
                        MemoryBytes = mib * MiB,
                        BandwidthBytesPerSecond = bandwidth,
                        DirtyRateBytesPerSecond = rate,
                        FixedDowntimeSeconds = fixedSeconds + fixedPerGiB * gib,
                        RoundOverheadSeconds = overhead + overheadPerGiB * gib,
                        SetupSeconds = setup,
                        Mode = mode,
                        FallBackToStopAndCopy = false,
                    });
                    rows.Add(new MeasuredMigration
                    {
                        Name = $"{workload} {mib} {mode}",
                        Group = "container a → b",
                        Workload = workload,
                        Mode = mode,
                        MemoryBytes = mib * MiB,
                        DowntimeSeconds = estimate.DowntimeSeconds,
                        TotalSeconds = estimate.TotalSeconds,
                        NominalBandwidthBytesPerSecond = 12.5e6,
                    });
                }
            }
        }

        return rows;
    }

    [Fact]
    public void The_fit_reproduces_migrations_measured_from_a_known_model()
    {
        var dirty = new Dictionary<string, double> { ["idle"] = 0.5 * MiB, ["busy"] = 3 * MiB, ["wild"] = 20 * MiB };
        var measured = FromModel(9e6, 2.5, 2.0, 1.5, 0.3, 0.8, dirty);

        var group = Assert.Single(CostModelCalibration.Fit(measured, TestContext.Current.CancellationToken));

        Assert.Equal("container a → b", group.Group);
        Assert.Equal(measured.Count, group.Migrations);
        Assert.True(group.RmsLogError < 0.05, $"rms ln error {group.RmsLogError}");
        Assert.InRange(group.BandwidthBytesPerSecond, 8.5e6, 9.5e6);
        foreach (var m in measured)
        {
            var estimate = PreCopyCostModel.Estimate(group.ParametersFor(m.Workload, m.MemoryBytes, m.Mode, asMeasured: true));
            Assert.Equal(m.DowntimeSeconds, estimate.DowntimeSeconds, m.DowntimeSeconds * 0.05);
            Assert.Equal(m.TotalSeconds, estimate.TotalSeconds, m.TotalSeconds * 0.05);
        }
    }

    [Fact]
    public void The_fit_is_deterministic_and_keeps_groups_apart()
    {
        var measured = FromModel(9e6, 2.5, 2.0, 1.5, 0.3, 0.8, new Dictionary<string, double> { ["busy"] = 3 * MiB })
            .Concat(FromModel(4e6, 0.1, 0, 0.2, 0, 1, new Dictionary<string, double> { ["busy"] = 1 * MiB }).Select(m => m with { Group = "wasm a → c" }))
            .ToList();

        var first = CostModelCalibration.Fit(measured, TestContext.Current.CancellationToken);
        var second = CostModelCalibration.Fit(measured, TestContext.Current.CancellationToken);

        Assert.Equal(["container a → b", "wasm a → c"], first.Select(g => g.Group));
        Assert.Equal(first.Select(g => (g.BandwidthBytesPerSecond, g.FixedSeconds, g.RmsLogError)), second.Select(g => (g.BandwidthBytesPerSecond, g.FixedSeconds, g.RmsLogError)));
        Assert.InRange(first[1].BandwidthBytesPerSecond, 3.6e6, 4.4e6);
    }

    [Fact]
    public void Migrations_without_a_downtime_or_duration_are_left_out()
    {
        var measured = FromModel(9e6, 2.5, 2.0, 1.5, 0.3, 0.8, new Dictionary<string, double> { ["busy"] = 3 * MiB });
        measured.Add(measured[0] with { Name = "broken", DowntimeSeconds = double.NaN });

        Assert.Equal(measured.Count - 1, Assert.Single(CostModelCalibration.Fit(measured, TestContext.Current.CancellationToken)).Migrations);
    }
}
