namespace EdgeMigrate.Decision.Prediction;

/// <summary>Predicts when and where a device hands over. Implementations are thread-safe.</summary>
public interface IHandoverPredictor
{
    HandoverPrediction Predict(HandoverFeatures features);
}
