using System.Security.Cryptography;
using System.Text;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>
/// The feature vector of the reach model: one device and one site it could be served from (the hosting site or a
/// candidate), with the SLA in force, so one regression answers both "when must the service leave its host" and "which
/// site keeps it within the SLA longest". Built only by <see cref="DeviceFeatureWindow.DescribeSite"/>, so simulated and
/// live telemetry give the same floats. The column order below is the model's input order; changing it changes
/// <see cref="SchemaHash"/> and makes older model files refuse to load.
/// </summary>
public static class SiteReachFeatures
{
    public const int SpeedMps = 0;
    public const int AccelerationMps2 = 1;
    public const int HeadingChangeDeg = 2;
    public const int Straightness = 3;
    public const int WindowSeconds = 4;

    /// <summary>The SLA the reach is measured against, ms.</summary>
    public const int SlaMs = 5;

    /// <summary>The service latency the device would get from the site now.</summary>
    public const int LatencyMs = 6;

    /// <summary>SLA minus <see cref="LatencyMs"/>: the headroom left.</summary>
    public const int SlaMarginMs = 7;

    /// <summary>Least-squares latency trend over the window, ms/s.</summary>
    public const int LatencySlope = 8;
    public const int DistanceM = 9;

    /// <summary>Rate of change of the distance to the site, m/s (negative: approaching).</summary>
    public const int RadialMps = 10;

    /// <summary>Cosine of the angle between the direction of travel and the site.</summary>
    public const int CosBearing = 11;
    public const int IsHost = 12;
    public const int IsBest = 13;

    /// <summary>Latency minus the best site's latency.</summary>
    public const int LatencyGapMs = 14;

    /// <summary>Distance minus the distance to the best site.</summary>
    public const int DistanceGapM = 15;

    /// <summary>When the site becomes nearer than the best site if motion stays straight (0 for the best site), capped.</summary>
    public const int CrossingSeconds = 16;
    public const int BestDistanceM = 17;
    public const int BestRadialMps = 18;
    public const int BestDwellSeconds = 19;
    public const int BestLatencySlope = 20;

    /// <summary>
    /// The breach classifier's question: "does the site break the SLA within this many seconds?". 0 in the reach
    /// regression's input; the caller of <see cref="HandoverModel.PredictBreachProbability"/> sets it.
    /// </summary>
    public const int WithinSeconds = 21;

    public const int Count = 22;

    /// <summary>Bumped when extraction changes meaning without changing names.</summary>
    public const int ExtractionVersion = 1;

    public static IReadOnlyList<string> Names { get; } =
    [
        nameof(SpeedMps), nameof(AccelerationMps2), nameof(HeadingChangeDeg), nameof(Straightness), nameof(WindowSeconds),
        nameof(SlaMs), nameof(LatencyMs), nameof(SlaMarginMs), nameof(LatencySlope), nameof(DistanceM), nameof(RadialMps),
        nameof(CosBearing), nameof(IsHost), nameof(IsBest), nameof(LatencyGapMs), nameof(DistanceGapM), nameof(CrossingSeconds),
        nameof(BestDistanceM), nameof(BestRadialMps), nameof(BestDwellSeconds), nameof(BestLatencySlope), nameof(WithinSeconds),
    ];

    public static string SchemaHash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        $"reach;extraction={ExtractionVersion};features={string.Join(',', Names)}")))[..16];
}
