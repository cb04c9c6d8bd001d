namespace EdgeMigrate.Simulation.Mobility;

/// <summary>
/// Per-device seeds derived from the run's seed with SplitMix64, so each device's randomness is independent of
/// how many other devices there are and of iteration order.
/// </summary>
public static class DeterministicSeed
{
    public static int For(int seed, int stream, int device)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + ((ulong)(uint)stream << 32) + (ulong)(uint)device + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFF_FFFF);
    }

    /// <summary>A standard normal sample (Box-Muller); System.Random has none.</summary>
    public static double NextGaussian(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
