using System.Text.Json.Serialization;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>The metadata.json entry of a model file.</summary>
public sealed record HandoverModelMetadata
{
    public required int FormatVersion { get; init; }

    public required string FeatureSchemaHash { get; init; }

    public required IReadOnlyList<string> Features { get; init; }

    public required int CandidateRanks { get; init; }

    public required double HorizonSeconds { get; init; }

    /// <summary>Identifies the reach model's input (<see cref="SiteReachFeatures"/>).</summary>
    public required string ReachFeatureSchemaHash { get; init; }

    public required IReadOnlyList<string> ReachFeatures { get; init; }

    public required double ReachHorizonSeconds { get; init; }

    public required int Seed { get; init; }

    public required HandoverTrainingSummary Training { get; init; }
}

/// <summary>What the model was trained on and how it scored on the held-back split.</summary>
public sealed record HandoverTrainingSummary
{
    /// <summary>Where the examples came from (mobility, sites, latency, duration).</summary>
    public required string Data { get; init; }

    public required int Examples { get; init; }

    public required int TrainExamples { get; init; }

    public required int TestExamples { get; init; }

    /// <summary>Test examples with a known next site (the classifier's test set).</summary>
    public required int TestExamplesWithNextSite { get; init; }

    public required string TimingTrainer { get; init; }

    public required string NextSiteTrainer { get; init; }

    public required double TimingMaeSeconds { get; init; }

    public required double TimingRmseSeconds { get; init; }

    /// <summary>MAE over test examples whose handover came within <see cref="WithinSeconds"/>.</summary>
    public required double TimingMaeWithinSeconds { get; init; }

    public required double NextSiteAccuracy { get; init; }

    public required double NextSiteLogLoss { get; init; }

    /// <summary>Accuracy over test examples whose handover came within <see cref="WithinSeconds"/>.</summary>
    public required double NextSiteAccuracyWithin { get; init; }

    /// <summary>"Upcoming handover" threshold of the recall/precision figures (about one migration plus margin).</summary>
    public required double WithinSeconds { get; init; }

    /// <summary>Of the handovers that came within <see cref="WithinSeconds"/>, the share predicted within it.</summary>
    public required double HandoverRecallWithin { get; init; }

    /// <summary>Of the predictions within <see cref="WithinSeconds"/>, the share whose handover did come within it.</summary>
    public required double HandoverPrecisionWithin { get; init; }

    public required string ReachTrainer { get; init; }

    public required int ReachExamples { get; init; }

    public required int ReachTestExamples { get; init; }

    /// <summary>Reach model MAE on the held-back devices, seconds.</summary>
    public required double ReachMaeSeconds { get; init; }

    /// <summary>Reach MAE over held-back examples whose breach came within <see cref="ReachWithinSeconds"/>.</summary>
    public required double ReachMaeWithinSeconds { get; init; }

    /// <summary>Mean signed error (predicted − actual) of those near breaches; negative is early.</summary>
    public required double ReachBiasWithinSeconds { get; init; }

    public required double ReachWithinSeconds { get; init; }

    public required string BreachTrainer { get; init; }

    /// <summary>Breach classifier on the held-back devices: area under the ROC curve.</summary>
    public required double BreachAuc { get; init; }

    public required double BreachLogLoss { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HandoverModelMetadata))]
internal sealed partial class HandoverModelJson : JsonSerializerContext;
