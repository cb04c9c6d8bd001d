namespace EdgeMigrate.Models;

/// <summary>Topic names of the MQTT contract v1 (see docs/mqtt-contract.md).</summary>
public static class MqttTopics
{
    public const string Prefix = "em/v1";
    public const string AllTelemetry = Prefix + "/devices/+/telemetry";
    public const string AllNodeStatus = Prefix + "/nodes/+/status";
    public const string AllMigrationEvents = Prefix + "/migrations/+/events";

    public static string Telemetry(string deviceId) => $"{Prefix}/devices/{deviceId}/telemetry";
    public static string NodeStatus(string nodeId) => $"{Prefix}/nodes/{nodeId}/status";
    public static string NodeCommands(string nodeId) => $"{Prefix}/nodes/{nodeId}/commands";
    public static string MigrationEvents(string migrationId) => $"{Prefix}/migrations/{migrationId}/events";
    public static string ServiceEndpoint(string serviceId) => $"{Prefix}/services/{serviceId}/endpoint";

    /// <summary>Shared-subscription form so several silos split a topic's messages between them.</summary>
    public static string Shared(string group, string topicFilter) => $"$share/{group}/{topicFilter}";

    /// <summary>Splits <c>em/v1/{kind}/{id}/{leaf}</c>; false for anything else.</summary>
    public static bool TryParse(string topic, out string kind, out string id, out string leaf)
    {
        kind = id = leaf = string.Empty;
        var parts = topic.Split('/');
        if (parts.Length != 5 || parts[0] != "em" || parts[1] != "v1")
        {
            return false;
        }

        (kind, id, leaf) = (parts[2], parts[3], parts[4]);
        return EntityId.IsValid(id);
    }
}
