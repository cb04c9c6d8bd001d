namespace EdgeMigrate.Decision.Costs.Calibration;

/// <summary>
/// The Nelder–Mead simplex minimiser (no derivatives: the cost model is piecewise, its round count jumps). Fixed
/// start, fixed iteration budget, no randomness: the same data always give the same fit.
/// </summary>
internal static class NelderMead
{
    public static double[] Minimise(Func<double[], double> f, double[] start, double step, int iterations)
    {
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        for (var i = 0; i <= n; i++)
        {
            simplex[i] = (double[])start.Clone();
            if (i > 0)
            {
                simplex[i][i - 1] += step;
            }

            values[i] = f(simplex[i]);
        }

        for (var iteration = 0; iteration < iterations; iteration++)
        {
            // Order: best first (stable, so equal values keep their order).
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            simplex = [.. order.Select(i => simplex[i])];
            values = [.. order.Select(i => values[i])];
            if (values[n] - values[0] < 1e-12 * (1 + Math.Abs(values[0])))
            {
                break;
            }

            var centroid = new double[n];
            for (var i = 0; i < n; i++)
            {
                for (var d = 0; d < n; d++)
                {
                    centroid[d] += simplex[i][d] / n;
                }
            }

            var reflected = Blend(centroid, simplex[n], -1);
            var reflectedValue = f(reflected);
            if (reflectedValue < values[0])
            {
                var expanded = Blend(centroid, simplex[n], -2);
                var expandedValue = f(expanded);
                (simplex[n], values[n]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
            }
            else if (reflectedValue < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, reflectedValue);
            }
            else
            {
                var contracted = Blend(centroid, simplex[n], 0.5);
                var contractedValue = f(contracted);
                if (contractedValue < values[n])
                {
                    (simplex[n], values[n]) = (contracted, contractedValue);
                }
                else
                {
                    for (var i = 1; i <= n; i++)
                    {
                        simplex[i] = Blend(simplex[0], simplex[i], 0.5);
                        values[i] = f(simplex[i]);
                    }
                }
            }
        }

        var best = 0;
        for (var i = 1; i <= n; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return simplex[best];
    }

    /// <summary>centroid + t · (point − centroid).</summary>
    private static double[] Blend(double[] centroid, double[] point, double t)
    {
        var result = new double[centroid.Length];
        for (var d = 0; d < result.Length; d++)
        {
            result[d] = centroid[d] + t * (point[d] - centroid[d]);
        }

        return result;
    }
}
