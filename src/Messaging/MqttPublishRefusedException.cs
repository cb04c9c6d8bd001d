namespace EdgeMigrate.Messaging;

/// <summary>The broker answered a publish with a failure reason code.</summary>
public sealed class MqttPublishRefusedException : Exception
{
    public MqttPublishRefusedException()
    {
    }

    public MqttPublishRefusedException(string message) : base(message)
    {
    }

    public MqttPublishRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
