using Microsoft.ML.Data;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>What both models read: the feature vector in <see cref="HandoverFeatures"/> column order.</summary>
internal sealed class ModelInput
{
    [VectorType(HandoverFeatures.Count)]
    public float[] Features = new float[HandoverFeatures.Count];
}

/// <summary>A training example as ML.NET sees it.</summary>
internal sealed class TrainingRow
{
    [VectorType(HandoverFeatures.Count)]
    public float[] Features = [];

    /// <summary>Regression label: seconds until the best site changes, capped at the horizon.</summary>
    public float Seconds;

    /// <summary>Classification label: candidate rank + 1 (key values start at 1; 0 = unknown).</summary>
    [KeyType(HandoverFeatures.CandidateRanks)]
    public uint Label;

    /// <summary>1 when <see cref="Label"/> is known (a handover within the horizon to a ranked candidate).</summary>
    public float HasNext;

    /// <summary>Device the example came from: the train/test split keeps a device's examples together.</summary>
    public uint Group;
}

internal sealed class TimingOutput
{
    public float Score;
}

internal sealed class NextSiteOutput
{
    public float[] Score = [];
}

/// <summary>What the reach model reads: one site's feature vector in <see cref="SiteReachFeatures"/> order.</summary>
internal sealed class ReachInput
{
    [VectorType(SiteReachFeatures.Count)]
    public float[] Features = new float[SiteReachFeatures.Count];
}

/// <summary>A reach example as ML.NET sees it.</summary>
internal sealed class ReachTrainingRow
{
    [VectorType(SiteReachFeatures.Count)]
    public float[] Features = [];

    /// <summary>Seconds until the site breaks the SLA for the device, capped at the reach horizon.</summary>
    public float Seconds;

    public uint Group;
}

/// <summary>A breach-classifier example: does the site break the SLA within the seconds in its WithinSeconds column?</summary>
internal sealed class BreachTrainingRow
{
    [VectorType(SiteReachFeatures.Count)]
    public float[] Features = [];

    public bool Label;

    public uint Group;
}

internal sealed class BreachOutput
{
    public float Probability;
}
