using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>A scenario with its inputs loaded, ready to run.</summary>
public sealed record PreparedScenario(SimulationSettings Settings, IMobilityModel Mobility, SiteLayout Sites, string Description)
{
    public SimulationEngine CreateEngine() => new(Settings, Mobility, Sites, Description);

    /// <param name="predictor">The trained model the <c>predictive</c> policy uses.</param>
    public SimulationEngine CreateEngine(IHandoverPredictor? predictor) => new(Settings, Mobility, Sites, Description, predictor);
}
