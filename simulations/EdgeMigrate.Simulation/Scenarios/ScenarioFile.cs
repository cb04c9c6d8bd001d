using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Reads and writes scenario YAML (camelCase keys; unknown keys are errors so typos do not pass silently).</summary>
public static class ScenarioFile
{
    public static ScenarioSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"{path}: no such scenario file");
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        try
        {
            return deserializer.Deserialize<ScenarioSpec>(File.ReadAllText(path)) ?? new ScenarioSpec();
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new ScenarioException($"{path} line {e.Start.Line}, column {e.Start.Column}: {reason}", e);
        }
    }

    public static string Serialize(ScenarioSpec spec) =>
        new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Serialize(spec);
}
