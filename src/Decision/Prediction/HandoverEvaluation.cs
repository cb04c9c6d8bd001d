using Microsoft.ML;
using Microsoft.ML.Data;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>How well a model's two parts did on labelled examples (held-back split at training, or another data set).</summary>
public sealed record HandoverEvaluation
{
    public required int Examples { get; init; }

    public required int ExamplesWithNextSite { get; init; }

    public required double TimingMaeSeconds { get; init; }

    public required double TimingRmseSeconds { get; init; }

    /// <summary>MAE over examples whose handover came within the "upcoming" threshold.</summary>
    public required double TimingMaeWithinSeconds { get; init; }

    public required double NextSiteAccuracy { get; init; }

    public required double NextSiteLogLoss { get; init; }

    public required double NextSiteAccuracyWithin { get; init; }

    public required double HandoverRecallWithin { get; init; }

    public required double HandoverPrecisionWithin { get; init; }

    internal static List<TrainingRow> Rows(IReadOnlyList<HandoverExample> examples, float horizon) =>
        [.. examples.Select(e => new TrainingRow
        {
            Features = e.Features.Length == HandoverFeatures.Count ? e.Features : throw new ArgumentException($"an example has {e.Features.Length} features, expected {HandoverFeatures.Count}", nameof(examples)),
            Seconds = Math.Clamp(e.SecondsToHandover, 0, horizon),
            Label = e.NextRank is >= 0 and < HandoverFeatures.CandidateRanks ? (uint)e.NextRank + 1 : 0,
            HasNext = e.NextRank is >= 0 and < HandoverFeatures.CandidateRanks ? 1 : 0,
            Group = (uint)e.Group,
        })];

    internal static IDataView WithNextSite(MLContext ml, IDataView view) =>
        ml.Data.FilterRowsByColumn(view, nameof(TrainingRow.HasNext), lowerBound: 0.5, upperBound: 1.5);

    internal static HandoverEvaluation Compute(MLContext ml, ITransformer timing, ITransformer nextSite, IDataView test, double horizonSeconds, double withinSeconds)
    {
        var horizon = (float)horizonSeconds;
        var within = (float)withinSeconds;
        var timingScored = timing.Transform(test);
        var timingMetrics = ml.Regression.Evaluate(timingScored, labelColumnName: nameof(TrainingRow.Seconds));
        var nextScored = nextSite.Transform(WithNextSite(ml, test));
        var nextMetrics = ml.MulticlassClassification.Evaluate(nextScored, labelColumnName: nameof(TrainingRow.Label));

        var actual = timingScored.GetColumn<float>(nameof(TrainingRow.Seconds)).ToArray();
        var predicted = timingScored.GetColumn<float>("Score").ToArray();
        int truePositives = 0, actualPositives = 0, predictedPositives = 0;
        double nearError = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var isNear = actual[i] <= within;
            var saysNear = predicted[i] <= within;
            actualPositives += isNear ? 1 : 0;
            predictedPositives += saysNear ? 1 : 0;
            truePositives += isNear && saysNear ? 1 : 0;
            nearError += isNear ? Math.Abs(Math.Clamp(predicted[i], 0, horizon) - actual[i]) : 0;
        }

        var labels = nextScored.GetColumn<uint>(nameof(TrainingRow.Label)).ToArray();
        var chosen = nextScored.GetColumn<uint>("PredictedLabel").ToArray();
        var seconds = nextScored.GetColumn<float>(nameof(TrainingRow.Seconds)).ToArray();
        int nearTotal = 0, nearCorrect = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (seconds[i] <= within)
            {
                nearTotal++;
                nearCorrect += labels[i] == chosen[i] ? 1 : 0;
            }
        }

        return new HandoverEvaluation
        {
            Examples = actual.Length,
            ExamplesWithNextSite = labels.Length,
            TimingMaeSeconds = Round(timingMetrics.MeanAbsoluteError),
            TimingRmseSeconds = Round(timingMetrics.RootMeanSquaredError),
            TimingMaeWithinSeconds = Round(actualPositives > 0 ? nearError / actualPositives : double.NaN),
            NextSiteAccuracy = Round(nextMetrics.MicroAccuracy),
            NextSiteLogLoss = Round(nextMetrics.LogLoss),
            NextSiteAccuracyWithin = Round(nearTotal > 0 ? nearCorrect / (double)nearTotal : double.NaN),
            HandoverRecallWithin = Round(actualPositives > 0 ? truePositives / (double)actualPositives : double.NaN),
            HandoverPrecisionWithin = Round(predictedPositives > 0 ? truePositives / (double)predictedPositives : double.NaN),
        };
    }

    /// <summary>Rounded so metadata (and the version hashed from it) does not depend on the last float bits; -1 for undefined.</summary>
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : -1;
}
