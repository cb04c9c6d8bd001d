namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Numeric scenario values that a sweep can vary, by the names used in scenario files and PolicySettings.</summary>
public static class ScenarioParameter
{
    private static readonly Dictionary<string, Action<ScenarioSpec, double>> Setters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hysteresisMs"] = (s, v) => s.Policy.HysteresisMs = v,
        ["timeToTriggerSeconds"] = (s, v) => s.Policy.TimeToTriggerSeconds = v,
        ["distanceThresholdMetres"] = (s, v) => s.Policy.DistanceThresholdMetres = v,
        ["safetyMarginSeconds"] = (s, v) => s.Policy.SafetyMarginSeconds = v,
        ["slaLatencyMs"] = (s, v) => s.Policy.SlaLatencyMs = v,
        ["memoryMiB"] = (s, v) => s.Migration.MemoryMiB = v,
        ["dirtyRateMiBps"] = (s, v) => s.Migration.DirtyRateMiBps = v,
        ["bandwidthMbps"] = (s, v) => s.Migration.BandwidthMbps = v,
        ["fixedDowntimeSeconds"] = (s, v) => s.Migration.FixedDowntimeSeconds = v,
        ["pingPongWindowSeconds"] = (s, v) => s.PingPongWindowSeconds = v,
        ["backhaulMsPerKm"] = (s, v) => s.Latency.BackhaulMsPerKm = v,
        ["measurementJitterMs"] = (s, v) => s.Latency.MeasurementJitterMs = v,
        ["minConfidence"] = (s, v) => s.Policy.MinConfidence = v,
        ["breachProbability"] = (s, v) => s.Policy.BreachProbability = v,
        ["devices"] = (s, v) => s.Mobility.Devices = (int)v,
        ["seed"] = (s, v) => s.Seed = (int)v,
    };

    public static IEnumerable<string> Names => Setters.Keys.Order(StringComparer.Ordinal);

    public static void Apply(ScenarioSpec spec, string name, double value)
    {
        if (!Setters.TryGetValue(name, out var setter))
        {
            throw new ScenarioException($"'{name}' cannot be swept; use one of {string.Join(", ", Names)}");
        }

        setter(spec, value);
    }
}
