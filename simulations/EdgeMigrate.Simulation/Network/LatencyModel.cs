namespace EdgeMigrate.Simulation.Network;

/// <summary>
/// Service latency = access latency to the device's serving (nearest) site, growing with distance to it, plus
/// backhaul latency from the serving site to the hosting site, growing with the distance between them
/// (zero when they are the same site). Defaults: at 500 m hex spacing, a service one site away stays under
/// a 30 ms SLA, two away is borderline, three away breaks it.
/// </summary>
public sealed record LatencyModel
{
    public double AccessBaseMs { get; init; } = 4;

    public double AccessMsPerKm { get; init; } = 10;

    public double BackhaulBaseMs { get; init; } = 6;

    public double BackhaulMsPerKm { get; init; } = 15;

    /// <summary>
    /// Standard deviation of Gaussian noise added to each latency a policy measures (not to the latency the service
    /// gets, which SLA accounting uses); 0 (default) measures exactly.
    /// </summary>
    public double MeasurementJitterMs { get; init; }

    /// <summary>Seeds the measurement noise; the engine sets it from the run's seed.</summary>
    public int JitterSeed { get; init; }

    public double AccessMs(double distanceMetres) => AccessBaseMs + AccessMsPerKm * distanceMetres / 1000;

    public double BackhaulMs(double distanceMetres, bool sameSite) => sameSite ? 0 : BackhaulBaseMs + BackhaulMsPerKm * distanceMetres / 1000;

    /// <summary>
    /// The noise on one measurement: a pure function of (seed, device, step, site), so every policy in a run sees
    /// the same noisy world and a rerun sees it again.
    /// </summary>
    public double MeasurementNoiseMs(int device, int step, int site)
    {
        if (MeasurementJitterMs <= 0)
        {
            return 0;
        }

        var state = Mix((ulong)(uint)JitterSeed ^ ((ulong)(uint)device << 32) ^ Mix((ulong)(uint)step ^ ((ulong)(uint)site << 32)));
        var u1 = ((Mix(state) >> 11) + 1) * (1.0 / 9007199254740993.0); // (0, 1]
        var u2 = (Mix(state + 0x9E3779B97F4A7C15UL) >> 11) * (1.0 / 9007199254740992.0);
        return MeasurementJitterMs * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(AccessBaseMs >= 0 && AccessMsPerKm >= 0)) { problems.Add("accessBaseMs and accessMsPerKm must be >= 0"); }
        if (!(BackhaulBaseMs >= 0 && BackhaulMsPerKm >= 0)) { problems.Add("backhaulBaseMs and backhaulMsPerKm must be >= 0"); }
        if (!(MeasurementJitterMs >= 0 && MeasurementJitterMs <= 1000)) { problems.Add("measurementJitterMs must be within [0, 1000]"); }
        return problems;
    }

    /// <summary>SplitMix64 finaliser.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
