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
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HandoverModelMetadata))]
internal sealed partial class HandoverModelJson : JsonSerializerContext;
