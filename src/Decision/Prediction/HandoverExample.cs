namespace EdgeMigrate.Decision.Prediction;

/// <summary>One labelled training example.</summary>
/// <param name="Features">The feature vector (<see cref="HandoverFeatures.ToArray"/>).</param>
/// <param name="SecondsToHandover">Seconds until the best site changed, capped at the horizon.</param>
/// <param name="NextRank">Candidate rank of the site that became best, -1 if unknown (no change within the horizon, or not a ranked candidate).</param>
/// <param name="Group">Device (or any grouping) whose examples must stay on one side of the train/test split.</param>
public readonly record struct HandoverExample(float[] Features, float SecondsToHandover, int NextRank, int Group);
