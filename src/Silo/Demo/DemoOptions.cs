using System.ComponentModel.DataAnnotations;

namespace EdgeMigrate.Silo.Demo;

/// <summary>The built-in demo fleet (<c>--demo-devices N</c>). Bound from the "Demo" configuration section.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    [Range(0, 100_000)]
    public int Devices { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SummaryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>One report in this many is deliberately malformed, to show rejection counting; 0 disables.</summary>
    [Range(0, 1_000_000)]
    public int MalformedEvery { get; set; } = 50;

    public int Seed { get; set; } = 1;
}
