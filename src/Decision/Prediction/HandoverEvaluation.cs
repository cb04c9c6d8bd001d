using Microsoft.ML;
using Microsoft.ML.Data;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>How well a model's three parts did on labelled examples (held-back split at training, or another data set).</summary>
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

    public required int ReachExamples { get; init; }

    /// <summary>Reach model: mean absolute error of the seconds until a site breaks the SLA.</summary>
    public required double ReachMaeSeconds { get; init; }

    /// <summary>Reach MAE over examples whose breach came within <see cref="ReachWithinSeconds"/>: the decisions that matter.</summary>
    public required double ReachMaeWithinSeconds { get; init; }

    /// <summary>Threshold of <see cref="ReachMaeWithinSeconds"/> (about two migrations).</summary>
    public required double ReachWithinSeconds { get; init; }

    /// <summary>Reach model: mean signed error (predicted − actual) over the near breaches; negative is early (safe).</summary>
    public required double ReachBiasWithinSeconds { get; init; }

    /// <summary>Breach classifier: area under the ROC curve of "breaks the SLA within T s".</summary>
    public required double BreachAuc { get; init; }

    public required double BreachLogLoss { get; init; }

    /// <summary>The T values breach examples ask about (two per reach example).</summary>
    internal static IReadOnlyList<float> BreachQuestions { get; } = [10, 20, 30, 40, 50, 60, 80, 100, 130, 160];

    internal static List<BreachTrainingRow> BreachRows(IReadOnlyList<SiteReachExample> examples, float horizon)
    {
        var rows = new List<BreachTrainingRow>(examples.Count * 2);
        var questions = BreachQuestions;
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            var seconds = Math.Clamp(e.SecondsToBreach, 0, horizon);
            foreach (var within in new[] { questions[i % questions.Count], questions[(i * 7 + 3) % questions.Count] })
            {
                var features = (float[])e.Features.Clone();
                features[SiteReachFeatures.WithinSeconds] = within;
                rows.Add(new BreachTrainingRow { Features = features, Label = seconds <= within, Group = (uint)e.Group });
            }
        }

        return rows;
    }

    internal static List<ReachTrainingRow> ReachRows(IReadOnlyList<SiteReachExample> examples, float horizon) =>
        [.. examples.Select(e => new ReachTrainingRow
        {
            Features = e.Features.Length == SiteReachFeatures.Count ? e.Features : throw new ArgumentException($"a reach example has {e.Features.Length} features, expected {SiteReachFeatures.Count}", nameof(examples)),
            Seconds = Math.Clamp(e.SecondsToBreach, 0, horizon),
            Group = (uint)e.Group,
        })];

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

    internal static HandoverEvaluation Compute(MLContext ml, ITransformer timing, ITransformer nextSite, IDataView test, double horizonSeconds, double withinSeconds, SiteReachParts site)
    {
        var (reach, reachTest, breach, breachTest, reachHorizonSeconds) = site;
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

        var reachScored = reach.Transform(reachTest);
        var reachActual = reachScored.GetColumn<float>(nameof(ReachTrainingRow.Seconds)).ToArray();
        var reachPredicted = reachScored.GetColumn<float>("Score").ToArray();
        var reachWithin = 2 * within;
        double reachError = 0, reachNearError = 0, reachNearBias = 0;
        var reachNear = 0;
        for (var i = 0; i < reachActual.Length; i++)
        {
            var error = Math.Clamp(reachPredicted[i], 0, (float)reachHorizonSeconds) - reachActual[i];
            reachError += Math.Abs(error);
            if (reachActual[i] <= reachWithin)
            {
                reachNear++;
                reachNearError += Math.Abs(error);
                reachNearBias += error;
            }
        }

        var breachMetrics = ml.BinaryClassification.Evaluate(breach.Transform(breachTest), labelColumnName: nameof(BreachTrainingRow.Label));

        return new HandoverEvaluation
        {
            BreachAuc = Round(breachMetrics.AreaUnderRocCurve),
            BreachLogLoss = Round(breachMetrics.LogLoss),
            ReachExamples = reachActual.Length,
            ReachMaeSeconds = Round(reachActual.Length > 0 ? reachError / reachActual.Length : double.NaN),
            ReachMaeWithinSeconds = Round(reachNear > 0 ? reachNearError / reachNear : double.NaN),
            ReachBiasWithinSeconds = Round(reachNear > 0 ? reachNearBias / reachNear : double.NaN),
            ReachWithinSeconds = reachWithin,
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
