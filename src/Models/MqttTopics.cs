using System.Collections.Frozen;

namespace EdgeMigrate.Models;

/// <summary>
/// The topic layout of the MQTT contract v1 (see docs/mqtt-contract.md): <c>em/v1/{collection}/{id}/{leaf}</c>. This
/// table is the only place it is written down; topics are built and parsed from it, and subscription filters too.
/// </summary>
public static class MqttTopics
{
    public const string Prefix = "em/v1";

    private static readonly FrozenDictionary<MqttTopicKind, (string Collection, string Leaf)> Layout = new Dictionary<MqttTopicKind, (string, string)>
    {
        [MqttTopicKind.Telemetry] = ("devices", "telemetry"),
        [MqttTopicKind.NodeStatus] = ("nodes", "status"),
        [MqttTopicKind.NodeCommands] = ("nodes", "commands"),
        [MqttTopicKind.MigrationEvents] = ("migrations", "events"),
        [MqttTopicKind.ServiceEndpoint] = ("services", "endpoint"),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<(string Collection, string Leaf), MqttTopicKind> KindOf = Layout.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static string Of(MqttTopicKind kind, string id) => Layout.TryGetValue(kind, out var layout)
        ? $"{Prefix}/{layout.Collection}/{id}/{layout.Leaf}"
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a topic of the contract");

    /// <summary>The filter that matches every topic of <paramref name="kind"/>, e.g. <c>em/v1/devices/+/telemetry</c>.</summary>
    public static string Filter(MqttTopicKind kind) => Of(kind, "+");

    public static string Telemetry(string deviceId) => Of(MqttTopicKind.Telemetry, deviceId);

    public static string NodeStatus(string nodeId) => Of(MqttTopicKind.NodeStatus, nodeId);

    public static string NodeCommands(string nodeId) => Of(MqttTopicKind.NodeCommands, nodeId);

    public static string MigrationEvents(string migrationId) => Of(MqttTopicKind.MigrationEvents, migrationId);

    public static string ServiceEndpoint(string serviceId) => Of(MqttTopicKind.ServiceEndpoint, serviceId);

    /// <summary>Shared-subscription form so several silos split a topic's messages between them.</summary>
    public static string Shared(string group, string topicFilter) => $"$share/{group}/{topicFilter}";

    /// <summary>Parses <c>em/v1/{collection}/{id}/{leaf}</c> of a known kind with a valid id; false for anything else.</summary>
    public static bool TryParse(string topic, out MqttRoute route)
    {
        route = default;
        var parts = topic.Split('/');
        if (parts.Length != 5 || parts[0] != "em" || parts[1] != "v1" || !EntityId.IsValid(parts[3]) || !KindOf.TryGetValue((parts[2], parts[4]), out var kind))
        {
            return false;
        }

        route = new MqttRoute(kind, parts[3]);
        return true;
    }
}
