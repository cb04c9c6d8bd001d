using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>Training settings; the defaults train in well under a minute on ~100k examples with one thread.</summary>
public sealed record HandoverTrainingOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Labels are capped here; the regression never predicts beyond it.</summary>
    public double HorizonSeconds { get; init; } = 120;

    /// <summary>Reach labels are capped here: past it, "the site keeps the SLA" is all a policy needs to know.</summary>
    public double ReachHorizonSeconds { get; init; } = 300;

    /// <summary>Held-back share, split by device so no device is on both sides.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>"Upcoming handover" threshold of the recall figures (about one migration plus margins).</summary>
    public double WithinSeconds { get; init; } = 40;

    public int Trees { get; init; } = 150;

    public int Leaves { get; init; } = 31;

    public double LearningRate { get; init; } = 0.15;

    /// <summary>Describes the examples' origin in the model's metadata.</summary>
    public string DataDescription { get; init; } = "";
}

/// <summary>
/// Offline training: FastTree regression for the time to handover, LightGBM multiclass for the next site's rank,
/// FastTree regression for a site's reach (seconds until it breaks the SLA) and a FastTree binary classifier for
/// "does it break the SLA within T s" (T an input, so one model gives the whole distribution), <c>new MLContext(seed)</c>, a device-grouped train/test split, evaluation on the held-back part. Single-threaded
/// trainers with fixed seeds: the same examples and seed give the same model and metrics.
/// </summary>
public static class HandoverTrainer
{
    public static HandoverModel Train(HandoverDataset dataset, HandoverTrainingOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var examples = dataset.Handovers;
        if (examples.Count < 20 || dataset.Reach.Count < 20)
        {
            throw new ArgumentException($"{examples.Count} handover and {dataset.Reach.Count} reach examples are too few to train on", nameof(dataset));
        }

        var ml = new MLContext(options.Seed);
        var horizon = (float)options.HorizonSeconds;
        var rows = HandoverEvaluation.Rows(examples, horizon);
        var data = ml.Data.LoadFromEnumerable(rows);
        var split = ml.Data.TrainTestSplit(data, options.TestFraction, samplingKeyColumnName: nameof(TrainingRow.Group), seed: options.Seed);

        progress?.Report("training timing regression (FastTree)");
        var timingTrainer = ml.Regression.Trainers.FastTree(Boosted(new FastTreeRegressionTrainer.Options(), options, nameof(TrainingRow.Seconds)));
        var timing = timingTrainer.Fit(split.TrainSet);
        var reachRows = HandoverEvaluation.ReachRows(dataset.Reach, (float)options.ReachHorizonSeconds);
        var reachSplit = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(reachRows), options.TestFraction, samplingKeyColumnName: nameof(ReachTrainingRow.Group), seed: options.Seed);

        progress?.Report("training next-site classifier (LightGBM multiclass)");
        var nextTrainer = ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = nameof(TrainingRow.Label),
            FeatureColumnName = nameof(TrainingRow.Features),
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = 20,
            Seed = options.Seed,
            NumberOfThreads = 1,
            Silent = true,
            Verbose = false,
        });
        var nextSite = nextTrainer.Fit(HandoverEvaluation.WithNextSite(ml, split.TrainSet));

        progress?.Report("training site reach regression (FastTree)");
        var reach = ml.Regression.Trainers.FastTree(Boosted(new FastTreeRegressionTrainer.Options(), options, nameof(ReachTrainingRow.Seconds))).Fit(reachSplit.TrainSet);

        progress?.Report("training site breach classifier (FastTree binary)");
        var breachSplit = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(HandoverEvaluation.BreachRows(dataset.Reach, (float)options.ReachHorizonSeconds)), options.TestFraction, samplingKeyColumnName: nameof(BreachTrainingRow.Group), seed: options.Seed);
        var breach = ml.BinaryClassification.Trainers.FastTree(Boosted(new FastTreeBinaryTrainer.Options(), options, nameof(BreachTrainingRow.Label))).Fit(breachSplit.TrainSet);

        progress?.Report("evaluating on the held-back devices");
        var evaluation = HandoverEvaluation.Compute(ml, timing, nextSite, split.TestSet, options.HorizonSeconds, options.WithinSeconds, new SiteReachParts(reach, reachSplit.TestSet, breach, breachSplit.TestSet, options.ReachHorizonSeconds));

        var metadata = new HandoverModelMetadata
        {
            FormatVersion = HandoverModel.FormatVersion,
            FeatureSchemaHash = HandoverFeatures.SchemaHash,
            Features = HandoverFeatures.Names,
            CandidateRanks = HandoverFeatures.CandidateRanks,
            HorizonSeconds = options.HorizonSeconds,
            ReachFeatureSchemaHash = SiteReachFeatures.SchemaHash,
            ReachFeatures = SiteReachFeatures.Names,
            ReachHorizonSeconds = options.ReachHorizonSeconds,
            Seed = options.Seed,
            Training = new HandoverTrainingSummary
            {
                Data = options.DataDescription,
                Examples = rows.Count,
                TrainExamples = (int)(split.TrainSet.GetRowCount() ?? split.TrainSet.GetColumn<float>(nameof(TrainingRow.Seconds)).Count()),
                TestExamples = evaluation.Examples,
                TestExamplesWithNextSite = evaluation.ExamplesWithNextSite,
                TimingTrainer = $"FastTree regression, {options.Trees} trees x {options.Leaves} leaves",
                NextSiteTrainer = $"LightGBM multiclass ({HandoverFeatures.CandidateRanks} ranks), {options.Trees} iterations x {options.Leaves} leaves",
                TimingMaeSeconds = evaluation.TimingMaeSeconds,
                TimingRmseSeconds = evaluation.TimingRmseSeconds,
                TimingMaeWithinSeconds = evaluation.TimingMaeWithinSeconds,
                NextSiteAccuracy = evaluation.NextSiteAccuracy,
                NextSiteLogLoss = evaluation.NextSiteLogLoss,
                NextSiteAccuracyWithin = evaluation.NextSiteAccuracyWithin,
                WithinSeconds = options.WithinSeconds,
                HandoverRecallWithin = evaluation.HandoverRecallWithin,
                HandoverPrecisionWithin = evaluation.HandoverPrecisionWithin,
                ReachTrainer = $"FastTree regression, {options.Trees} trees x {options.Leaves} leaves",
                ReachExamples = reachRows.Count,
                ReachTestExamples = evaluation.ReachExamples,
                ReachMaeSeconds = evaluation.ReachMaeSeconds,
                ReachMaeWithinSeconds = evaluation.ReachMaeWithinSeconds,
                ReachBiasWithinSeconds = evaluation.ReachBiasWithinSeconds,
                ReachWithinSeconds = evaluation.ReachWithinSeconds,
                BreachTrainer = $"FastTree binary, {options.Trees} trees x {options.Leaves} leaves, T in {string.Join('/', HandoverEvaluation.BreachQuestions)} s",
                BreachAuc = evaluation.BreachAuc,
                BreachLogLoss = evaluation.BreachLogLoss,
            },
        };
        return new HandoverModel(ml, timing, nextSite, reach, breach, metadata);
    }

    /// <summary>What every FastTree model here shares: size, learning rate, seed and one thread (so training is deterministic).</summary>
    private static T Boosted<T>(T trainer, HandoverTrainingOptions options, string label)
        where T : BoostedTreeOptions
    {
        trainer.LabelColumnName = label;
        trainer.FeatureColumnName = nameof(TrainingRow.Features);
        trainer.NumberOfTrees = options.Trees;
        trainer.NumberOfLeaves = options.Leaves;
        trainer.LearningRate = options.LearningRate;
        trainer.MinimumExampleCountPerLeaf = 20;
        trainer.Seed = options.Seed;
        trainer.NumberOfThreads = 1;
        return trainer;
    }
}
