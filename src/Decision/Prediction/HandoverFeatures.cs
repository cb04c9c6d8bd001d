using Microsoft.ML.Data;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>
/// Features of one device at one instant, built only by <see cref="DeviceFeatureWindow"/>. Candidates are the
/// <see cref="CandidateRanks"/> lowest-latency sites other than the current best and the hosting one (ties: nearer
/// first, then lower index), so the next-site classifier predicts a rank and generalises across site layouts; <see cref="CandidateSites"/>
/// maps ranks back to the caller's site indexes. Column order (the <see cref="LoadColumnAttribute"/> indexes) is the
/// model's feature vector; changing it changes <see cref="SchemaHash"/> and makes older model files refuse to load.
/// </summary>
public sealed class HandoverFeatures
{
    /// <summary>Candidate ranks the classifier chooses among.</summary>
    public const int CandidateRanks = 4;

    /// <summary>Cap of every "seconds until" and "seconds since" feature.</summary>
    public const float CapSeconds = 600;
    /// <summary>Speed over the last few seconds, m/s.</summary>
    [LoadColumn(0)]
    public float SpeedMps;
    /// <summary>Speed change across the window, m/s².</summary>
    [LoadColumn(1)]
    public float AccelerationMps2;
    /// <summary>Absolute heading change between the window's first and second half, degrees.</summary>
    [LoadColumn(2)]
    public float HeadingChangeDeg;
    /// <summary>Displacement over path length across the window (1 = straight line).</summary>
    [LoadColumn(3)]
    public float Straightness;
    /// <summary>Time span of the history the features were computed from.</summary>
    [LoadColumn(4)]
    public float WindowSeconds;
    /// <summary>Candidates present (0..K).</summary>
    [LoadColumn(5)]
    public float CandidateCount;
    /// <summary>Latency of the current best (lowest-latency) site.</summary>
    [LoadColumn(6)]
    public float BestLatencyMs;
    /// <summary>Trend of the best site's latency, ms/s (least squares over the window).</summary>
    [LoadColumn(7)]
    public float BestLatencySlope;
    /// <summary>Distance to the best site.</summary>
    [LoadColumn(8)]
    public float BestDistanceM;
    /// <summary>Rate of change of the distance to the best site, m/s (positive: moving away).</summary>
    [LoadColumn(9)]
    public float BestRadialMps;
    /// <summary>Seconds since the best site last changed (capped).</summary>
    [LoadColumn(10)]
    public float BestDwellSeconds;
    /// <summary>1 when the hosting site is the best site.</summary>
    [LoadColumn(11)]
    public float HostIsBest;
    /// <summary>Latency of the hosting site.</summary>
    [LoadColumn(12)]
    public float HostLatencyMs;
    /// <summary>Trend of the hosting site's latency, ms/s.</summary>
    [LoadColumn(13)]
    public float HostLatencySlope;
    /// <summary>Distance to the hosting site.</summary>
    [LoadColumn(14)]
    public float HostDistanceM;
    /// <summary>Rate of change of the distance to the hosting site, m/s.</summary>
    [LoadColumn(15)]
    public float HostRadialMps;
    /// <summary>Seconds since the hosting site changed (capped).</summary>
    [LoadColumn(16)]
    public float SecondsSinceHostChange;
    /// <summary>Smallest per-candidate crossing estimate.</summary>
    [LoadColumn(17)]
    public float NearestCrossingSeconds;
    /// <summary>Candidate rank 0: 1 when this rank is filled.</summary>
    [LoadColumn(18)]
    public float C0Present;
    /// <summary>Candidate rank 0: latency minus the best site's latency.</summary>
    [LoadColumn(19)]
    public float C0LatencyGapMs;
    /// <summary>Candidate rank 0: latency trend, ms/s.</summary>
    [LoadColumn(20)]
    public float C0LatencySlope;
    /// <summary>Candidate rank 0: distance to the candidate.</summary>
    [LoadColumn(21)]
    public float C0DistanceM;
    /// <summary>Candidate rank 0: distance minus the distance to the best site.</summary>
    [LoadColumn(22)]
    public float C0DistanceGapM;
    /// <summary>Candidate rank 0: rate of change of the distance, m/s (negative: approaching).</summary>
    [LoadColumn(23)]
    public float C0RadialMps;
    /// <summary>Candidate rank 0: cosine of the angle between the direction of travel and the candidate (from radial velocity over speed).</summary>
    [LoadColumn(24)]
    public float C0CosBearing;
    /// <summary>Candidate rank 0: when the candidate becomes nearer than the best site if motion stays straight (squared-distance extrapolation), capped.</summary>
    [LoadColumn(25)]
    public float C0CrossingSeconds;
    /// <summary>Candidate rank 1: 1 when this rank is filled.</summary>
    [LoadColumn(26)]
    public float C1Present;
    /// <summary>Candidate rank 1: latency minus the best site's latency.</summary>
    [LoadColumn(27)]
    public float C1LatencyGapMs;
    /// <summary>Candidate rank 1: latency trend, ms/s.</summary>
    [LoadColumn(28)]
    public float C1LatencySlope;
    /// <summary>Candidate rank 1: distance to the candidate.</summary>
    [LoadColumn(29)]
    public float C1DistanceM;
    /// <summary>Candidate rank 1: distance minus the distance to the best site.</summary>
    [LoadColumn(30)]
    public float C1DistanceGapM;
    /// <summary>Candidate rank 1: rate of change of the distance, m/s (negative: approaching).</summary>
    [LoadColumn(31)]
    public float C1RadialMps;
    /// <summary>Candidate rank 1: cosine of the angle between the direction of travel and the candidate (from radial velocity over speed).</summary>
    [LoadColumn(32)]
    public float C1CosBearing;
    /// <summary>Candidate rank 1: when the candidate becomes nearer than the best site if motion stays straight (squared-distance extrapolation), capped.</summary>
    [LoadColumn(33)]
    public float C1CrossingSeconds;
    /// <summary>Candidate rank 2: 1 when this rank is filled.</summary>
    [LoadColumn(34)]
    public float C2Present;
    /// <summary>Candidate rank 2: latency minus the best site's latency.</summary>
    [LoadColumn(35)]
    public float C2LatencyGapMs;
    /// <summary>Candidate rank 2: latency trend, ms/s.</summary>
    [LoadColumn(36)]
    public float C2LatencySlope;
    /// <summary>Candidate rank 2: distance to the candidate.</summary>
    [LoadColumn(37)]
    public float C2DistanceM;
    /// <summary>Candidate rank 2: distance minus the distance to the best site.</summary>
    [LoadColumn(38)]
    public float C2DistanceGapM;
    /// <summary>Candidate rank 2: rate of change of the distance, m/s (negative: approaching).</summary>
    [LoadColumn(39)]
    public float C2RadialMps;
    /// <summary>Candidate rank 2: cosine of the angle between the direction of travel and the candidate (from radial velocity over speed).</summary>
    [LoadColumn(40)]
    public float C2CosBearing;
    /// <summary>Candidate rank 2: when the candidate becomes nearer than the best site if motion stays straight (squared-distance extrapolation), capped.</summary>
    [LoadColumn(41)]
    public float C2CrossingSeconds;
    /// <summary>Candidate rank 3: 1 when this rank is filled.</summary>
    [LoadColumn(42)]
    public float C3Present;
    /// <summary>Candidate rank 3: latency minus the best site's latency.</summary>
    [LoadColumn(43)]
    public float C3LatencyGapMs;
    /// <summary>Candidate rank 3: latency trend, ms/s.</summary>
    [LoadColumn(44)]
    public float C3LatencySlope;
    /// <summary>Candidate rank 3: distance to the candidate.</summary>
    [LoadColumn(45)]
    public float C3DistanceM;
    /// <summary>Candidate rank 3: distance minus the distance to the best site.</summary>
    [LoadColumn(46)]
    public float C3DistanceGapM;
    /// <summary>Candidate rank 3: rate of change of the distance, m/s (negative: approaching).</summary>
    [LoadColumn(47)]
    public float C3RadialMps;
    /// <summary>Candidate rank 3: cosine of the angle between the direction of travel and the candidate (from radial velocity over speed).</summary>
    [LoadColumn(48)]
    public float C3CosBearing;
    /// <summary>Candidate rank 3: when the candidate becomes nearer than the best site if motion stays straight (squared-distance extrapolation), capped.</summary>
    [LoadColumn(49)]
    public float C3CrossingSeconds;
    /// <summary>Number of model features (columns above).</summary>
    public const int Count = 50;

    /// <summary>Site index per candidate rank, -1 where the rank is empty; not a model input.</summary>
    [NoColumn]
    public int[] CandidateSites { get; } = [-1, -1, -1, -1];

    /// <summary>The site with the lowest latency when the features were taken; not a model input.</summary>
    [NoColumn]
    public int BestSite { get; internal set; } = -1;

    /// <summary>The hosting site when the features were taken; not a model input.</summary>
    [NoColumn]
    public int HostingSite { get; internal set; } = -1;

    /// <summary>Observation time; not a model input.</summary>
    [NoColumn]
    public double TimeSeconds { get; internal set; }

    /// <summary>Feature names in column order.</summary>
    public static IReadOnlyList<string> Names => FeatureSchema.Names;

    /// <summary>Identifies the feature layout (names, order, ranks, feature-extraction version); stored in model files.</summary>
    public static string SchemaHash => FeatureSchema.Hash;

    /// <summary>Writes the model features in column order.</summary>
    public void CopyTo(Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Count, nameof(destination));
        destination[0] = SpeedMps;
        destination[1] = AccelerationMps2;
        destination[2] = HeadingChangeDeg;
        destination[3] = Straightness;
        destination[4] = WindowSeconds;
        destination[5] = CandidateCount;
        destination[6] = BestLatencyMs;
        destination[7] = BestLatencySlope;
        destination[8] = BestDistanceM;
        destination[9] = BestRadialMps;
        destination[10] = BestDwellSeconds;
        destination[11] = HostIsBest;
        destination[12] = HostLatencyMs;
        destination[13] = HostLatencySlope;
        destination[14] = HostDistanceM;
        destination[15] = HostRadialMps;
        destination[16] = SecondsSinceHostChange;
        destination[17] = NearestCrossingSeconds;
        destination[18] = C0Present;
        destination[19] = C0LatencyGapMs;
        destination[20] = C0LatencySlope;
        destination[21] = C0DistanceM;
        destination[22] = C0DistanceGapM;
        destination[23] = C0RadialMps;
        destination[24] = C0CosBearing;
        destination[25] = C0CrossingSeconds;
        destination[26] = C1Present;
        destination[27] = C1LatencyGapMs;
        destination[28] = C1LatencySlope;
        destination[29] = C1DistanceM;
        destination[30] = C1DistanceGapM;
        destination[31] = C1RadialMps;
        destination[32] = C1CosBearing;
        destination[33] = C1CrossingSeconds;
        destination[34] = C2Present;
        destination[35] = C2LatencyGapMs;
        destination[36] = C2LatencySlope;
        destination[37] = C2DistanceM;
        destination[38] = C2DistanceGapM;
        destination[39] = C2RadialMps;
        destination[40] = C2CosBearing;
        destination[41] = C2CrossingSeconds;
        destination[42] = C3Present;
        destination[43] = C3LatencyGapMs;
        destination[44] = C3LatencySlope;
        destination[45] = C3DistanceM;
        destination[46] = C3DistanceGapM;
        destination[47] = C3RadialMps;
        destination[48] = C3CosBearing;
        destination[49] = C3CrossingSeconds;
    }

    /// <summary>The model features as a new array.</summary>
    public float[] ToArray()
    {
        var values = new float[Count];
        CopyTo(values);
        return values;
    }

    internal void SetCandidate(int rank, int site, float latencyGapMs, float latencySlope, float distanceM, float distanceGapM, float radialMps, float cosBearing, float crossingSeconds)
    {
        CandidateSites[rank] = site;
        switch (rank)
        {
            case 0:
                C0Present = site >= 0 ? 1 : 0;
                C0LatencyGapMs = latencyGapMs;
                C0LatencySlope = latencySlope;
                C0DistanceM = distanceM;
                C0DistanceGapM = distanceGapM;
                C0RadialMps = radialMps;
                C0CosBearing = cosBearing;
                C0CrossingSeconds = crossingSeconds;
                break;
            case 1:
                C1Present = site >= 0 ? 1 : 0;
                C1LatencyGapMs = latencyGapMs;
                C1LatencySlope = latencySlope;
                C1DistanceM = distanceM;
                C1DistanceGapM = distanceGapM;
                C1RadialMps = radialMps;
                C1CosBearing = cosBearing;
                C1CrossingSeconds = crossingSeconds;
                break;
            case 2:
                C2Present = site >= 0 ? 1 : 0;
                C2LatencyGapMs = latencyGapMs;
                C2LatencySlope = latencySlope;
                C2DistanceM = distanceM;
                C2DistanceGapM = distanceGapM;
                C2RadialMps = radialMps;
                C2CosBearing = cosBearing;
                C2CrossingSeconds = crossingSeconds;
                break;
            case 3:
                C3Present = site >= 0 ? 1 : 0;
                C3LatencyGapMs = latencyGapMs;
                C3LatencySlope = latencySlope;
                C3DistanceM = distanceM;
                C3DistanceGapM = distanceGapM;
                C3RadialMps = radialMps;
                C3CosBearing = cosBearing;
                C3CrossingSeconds = crossingSeconds;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be below {CandidateRanks}");
        }
    }

    /// <summary>Empty ranks read as far away and never crossing, so trees need no special case.</summary>
    internal void SetEmptyCandidate(int rank) =>
        SetCandidate(rank, -1, 1000, 0, 10_000, 10_000, 0, 0, CapSeconds);
}
