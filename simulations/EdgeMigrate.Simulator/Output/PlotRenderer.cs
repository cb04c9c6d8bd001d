using EdgeMigrate.Simulation.Engine;
using ScottPlot;

namespace EdgeMigrate.Simulator.Output;

/// <summary>The run's PNG plots (ScottPlot), small enough to commit: 800x500.</summary>
internal static class PlotRenderer
{
    public const int Width = 800;
    public const int Height = 500;

    /// <summary>Writes the plots into <paramref name="directory"/> and returns their file names.</summary>
    public static IReadOnlyList<string> Render(SimulationResult result, string directory)
    {
        return
        [
            Save(LatencyOverTime(result), directory, "latency-over-time.png"),
            Save(MigrationsPerPolicy(result), directory, "migrations-per-policy.png"),
            Save(LatencyCdf(result), directory, "latency-cdf.png"),
        ];
    }

    public static string Save(Plot plot, string directory, string name)
    {
        plot.SavePng(Path.Combine(directory, name), Width, Height);
        return name;
    }

    private static Plot LatencyOverTime(SimulationResult result)
    {
        var plot = new Plot();
        // Long runs: average into at most ~400 points per line so the plot stays readable.
        var bucket = Math.Max(1, result.StepTimes.Length / 400);
        foreach (var (policy, timeline) in result.Timelines)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (var start = 0; start < result.StepTimes.Length; start += bucket)
            {
                var end = Math.Min(start + bucket, result.StepTimes.Length);
                var values = timeline.MeanLatencyMs[start..end].Where(double.IsFinite).ToArray();
                if (values.Length > 0)
                {
                    xs.Add(result.StepTimes[start] / 60);
                    ys.Add(values.Average());
                }
            }

            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray());
            line.LegendText = policy;
            line.LineWidth = 1.5f;
        }

        var sla = plot.Add.HorizontalLine(result.Summary.SlaLatencyMs);
        sla.LinePattern = LinePattern.Dashed;
        sla.LegendText = "SLA";
        plot.Title("Mean service latency over time");
        plot.XLabel("simulated time (min)");
        plot.YLabel("latency (ms)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot MigrationsPerPolicy(SimulationResult result)
    {
        var plot = new Plot();
        var names = result.Summary.Policies.Keys.ToArray();
        var bars = new List<Bar>();
        for (var i = 0; i < names.Length; i++)
        {
            var metrics = result.Summary.Policies[names[i]];
            bars.Add(new Bar { Position = i, Value = metrics.Migrations, FillColor = Colors.SteelBlue, Size = 0.38, Label = metrics.Migrations.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            bars.Add(new Bar { Position = i + 0.4, Value = metrics.PingPongs, FillColor = Colors.OrangeRed, Size = 0.38, Label = metrics.PingPongs.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, names.Length).Select(i => i + 0.2)], names);
        plot.Axes.Margins(bottom: 0);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "migrations", FillColor = Colors.SteelBlue });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "ping-pongs", FillColor = Colors.OrangeRed });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title("Migrations per policy");
        plot.YLabel("count");
        return plot;
    }

    private static Plot LatencyCdf(SimulationResult result)
    {
        var plot = new Plot();
        foreach (var (policy, histogram) in result.Latencies)
        {
            var cdf = histogram.Cdf();
            if (cdf.Count == 0)
            {
                continue;
            }

            var line = plot.Add.ScatterLine(cdf.Select(p => p.LatencyMs).ToArray(), cdf.Select(p => p.Fraction).ToArray());
            line.LegendText = policy;
            line.LineWidth = 1.5f;
        }

        var sla = plot.Add.VerticalLine(result.Summary.SlaLatencyMs);
        sla.LinePattern = LinePattern.Dashed;
        sla.LegendText = "SLA";
        plot.Title("CDF of service latency (device-steps)");
        plot.XLabel("latency (ms)");
        plot.YLabel("fraction ≤ x");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
