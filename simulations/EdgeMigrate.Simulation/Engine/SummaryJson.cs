using System.Text.Json;

namespace EdgeMigrate.Simulation.Engine;

/// <summary>summary.json as text: camelCase, indented, policies in run order.</summary>
public static class SummaryJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Serialize(SimulationSummary summary) => JsonSerializer.Serialize(summary, Options);

    public static SimulationSummary? Deserialize(string json) => JsonSerializer.Deserialize<SimulationSummary>(json, Options);
}
