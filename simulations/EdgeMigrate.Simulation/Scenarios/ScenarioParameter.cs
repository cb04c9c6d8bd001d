using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Numeric scenario values that a sweep can vary: every policy parameter (by its PolicySettings name) and these.</summary>
public static class ScenarioParameter
{
    private static readonly Dictionary<string, Action<ScenarioSpec, double>> Setters = BuildSetters();

    public static IEnumerable<string> Names => Setters.Keys.Order(StringComparer.Ordinal);

    public static void Apply(ScenarioSpec spec, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Setters.TryGetValue(name, out var setter))
        {
            throw new ScenarioException($"'{name}' cannot be swept; use one of {string.Join(", ", Names)}");
        }

        setter(spec, value);
    }

    private static Dictionary<string, Action<ScenarioSpec, double>> BuildSetters()
    {
        var setters = new Dictionary<string, Action<ScenarioSpec, double>>(StringComparer.OrdinalIgnoreCase)
        {
            ["memoryMiB"] = (s, v) => s.Migration.MemoryMiB = v,
            ["dirtyRateMiBps"] = (s, v) => s.Migration.DirtyRateMiBps = v,
            ["bandwidthMbps"] = (s, v) => s.Migration.BandwidthMbps = v,
            ["fixedDowntimeSeconds"] = (s, v) => s.Migration.FixedDowntimeSeconds = v,
            ["roundOverheadSeconds"] = (s, v) => s.Migration.RoundOverheadSeconds = v,
            ["pingPongWindowSeconds"] = (s, v) => s.PingPongWindowSeconds = v,
            ["backhaulMsPerKm"] = (s, v) => s.Latency.BackhaulMsPerKm = v,
            ["measurementJitterMs"] = (s, v) => s.Latency.MeasurementJitterMs = v,
            ["devices"] = (s, v) => s.Mobility.Devices = (int)v,
            ["seed"] = (s, v) => s.Seed = (int)v,
        };
        foreach (var parameter in PolicyParameters.All)
        {
            setters[parameter.Name] = (s, v) => s.Policy[parameter.Name] = v;
        }

        return setters;
    }
}
