namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Latency model coefficients (see <see cref="Network.LatencyModel"/>).</summary>
public sealed class LatencySpec
{
    public double AccessBaseMs { get; set; } = 4;

    public double AccessMsPerKm { get; set; } = 10;

    public double BackhaulBaseMs { get; set; } = 6;

    public double BackhaulMsPerKm { get; set; } = 15;

    /// <summary>Standard deviation of the noise on latencies policies measure, ms (0 = exact).</summary>
    public double MeasurementJitterMs { get; set; }
}
