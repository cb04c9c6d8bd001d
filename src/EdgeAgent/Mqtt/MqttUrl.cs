namespace EdgeMigrate.EdgeAgent.Mqtt;

/// <summary><c>mqtt://host:port</c> (port defaults to 1883).</summary>
public sealed record MqttUrl(string Host, int Port)
{
    public static bool TryParse(string? text, out MqttUrl url, out string problem)
    {
        url = null!;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "mqtt" || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"'{text}' is not mqtt://HOST:PORT";
            return false;
        }

        url = new MqttUrl(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 1883 : uri.Port);
        problem = string.Empty;
        return true;
    }
}
