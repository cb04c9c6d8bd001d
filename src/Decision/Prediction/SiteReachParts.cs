using Microsoft.ML;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>The site models and their test data, as evaluation takes them.</summary>
internal readonly record struct SiteReachParts(ITransformer Reach, IDataView ReachTest, ITransformer Breach, IDataView BreachTest, double ReachHorizonSeconds);
