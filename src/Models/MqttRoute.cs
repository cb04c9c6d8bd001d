namespace EdgeMigrate.Models;

/// <summary>A topic of the contract, parsed once: its kind and the entity id it names.</summary>
public readonly record struct MqttRoute(MqttTopicKind Kind, string Id)
{
    public string Topic => MqttTopics.Of(Kind, Id);

    public override string ToString() => Topic;
}
