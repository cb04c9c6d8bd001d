namespace EdgeMigrate.Silo.Mqtt;

/// <summary>The broker answered a publish with a failure reason code.</summary>
public sealed class MqttPublishFailedException : Exception
{
    public MqttPublishFailedException()
    {
    }

    public MqttPublishFailedException(string message) : base(message)
    {
    }

    public MqttPublishFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
