namespace EdgeMigrate.Decision.Prediction;

/// <summary>Predicts when and where a device hands over, and how long a site keeps it within the SLA. Implementations are thread-safe.</summary>
public interface IHandoverPredictor
{
    HandoverPrediction Predict(HandoverFeatures features);

    /// <summary>Seconds until the site described by <paramref name="siteFeatures"/> (<see cref="SiteReachFeatures"/>) would first break the SLA for the device.</summary>
    double PredictReachSeconds(ReadOnlySpan<float> siteFeatures);

    /// <summary>Probability that the site described by <paramref name="siteFeatures"/> breaks the SLA for the device within <paramref name="withinSeconds"/>.</summary>
    double PredictBreachProbability(ReadOnlySpan<float> siteFeatures, double withinSeconds);
}
