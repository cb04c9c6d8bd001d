namespace EdgeMigrate.Simulation.Engine;

/// <summary>
/// Latency samples in 0.1 ms bins up to 5 s: percentiles and CDFs over millions of device-steps in constant
/// memory, and exactly reproducible.
/// </summary>
public sealed class LatencyHistogram
{
    public const double BinMs = 0.1;
    private const int Bins = 50_000;
    private readonly long[] _counts = new long[Bins + 1];

    public long Count { get; private set; }

    public void Add(double latencyMs)
    {
        var bin = latencyMs <= 0 ? 0 : (int)Math.Min(Bins, latencyMs / BinMs);
        _counts[bin]++;
        Count++;
    }

    /// <summary>Upper edge of the bin holding the p-quantile (0..1); 0 when empty.</summary>
    public double Percentile(double p)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(p * Count);
        long seen = 0;
        for (var bin = 0; bin < _counts.Length; bin++)
        {
            seen += _counts[bin];
            if (seen >= Math.Max(1, rank))
            {
                return Math.Round((bin + 1) * BinMs, 1);
            }
        }

        return Bins * BinMs;
    }

    /// <summary>Points (latency, cumulative fraction) for a CDF plot, one per non-empty bin.</summary>
    public IReadOnlyList<(double LatencyMs, double Fraction)> Cdf()
    {
        var points = new List<(double, double)>();
        long seen = 0;
        for (var bin = 0; bin < _counts.Length; bin++)
        {
            if (_counts[bin] == 0)
            {
                continue;
            }

            seen += _counts[bin];
            points.Add(((bin + 1) * BinMs, (double)seen / Count));
        }

        return points;
    }
}
