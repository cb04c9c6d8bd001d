namespace EdgeMigrate.Silo.Mqtt;

/// <summary>Names of the Polly pipelines the MQTT side uses (registered once, in <see cref="MqttServiceCollectionExtensions"/>).</summary>
public static class MqttPipelines
{
    /// <summary>Connect + subscribe: retried with capped exponential back-off until the host stops.</summary>
    public const string Connect = "mqtt-connect";

    /// <summary>Outbound publish: a few quick retries, then the caller sees the failure.</summary>
    public const string Publish = "mqtt-publish";

    /// <summary>Grain call for an inbound message: retried while grains move between silos.</summary>
    public const string GrainCall = "ingest-grain-call";
}
