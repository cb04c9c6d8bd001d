using EdgeMigrate.Decision.Prediction;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>A model in use, with where it came from and when.</summary>
public sealed record LoadedHandoverModel(HandoverModel Model, string Source, DateTimeOffset LoadedAt);
