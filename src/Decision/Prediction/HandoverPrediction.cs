namespace EdgeMigrate.Decision.Prediction;

/// <summary>What the model expects for one device.</summary>
/// <param name="SecondsToHandover">Seconds until the current best site stops being the best one (capped at the model's horizon).</param>
/// <param name="NextSite">The site index (from the observation's sites) predicted to be best next, -1 if there is no candidate.</param>
/// <param name="Confidence">Classifier probability of <paramref name="NextSite"/> among the candidates present, in [0, 1].</param>
public readonly record struct HandoverPrediction(double SecondsToHandover, int NextSite, float Confidence);
