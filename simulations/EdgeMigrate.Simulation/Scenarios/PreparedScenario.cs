using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Simulation.Engine;
using EdgeMigrate.Simulation.Mobility;
using EdgeMigrate.Simulation.Sites;

namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>A scenario with its inputs loaded, ready to run.</summary>
/// <param name="Settings">Engine settings.</param>
/// <param name="Mobility">Where devices are.</param>
/// <param name="Sites">Where services can run.</param>
/// <param name="Description">For summaries.</param>
/// <param name="Links">Per-site-pair RTT and bandwidth (scenario key <c>links</c>), empty when the models apply to every pair.</param>
public sealed record PreparedScenario(SimulationSettings Settings, IMobilityModel Mobility, SiteLayout Sites, string Description, IReadOnlyList<SiteLink> Links)
{
    public SimulationEngine CreateEngine() => new(Settings, Mobility, Sites, Description, links: Links);

    /// <param name="predictor">The trained model the <c>predictive</c> policy uses.</param>
    public SimulationEngine CreateEngine(IHandoverPredictor? predictor) => new(Settings, Mobility, Sites, Description, predictor, Links);
}
