using System.Diagnostics.CodeAnalysis;

namespace EdgeMigrate.Messaging;

/// <summary>A broker's host and port, parsed from <c>mqtt://host:port</c>.</summary>
public sealed record MqttBrokerAddress(string Host, int Port)
{
    public const int DefaultPort = 1883;

    public static bool TryParse(string url, [NotNullWhen(true)] out MqttBrokerAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "mqtt")
        {
            error = $"'{url}' is not of the form mqtt://host:port";
            return false;
        }

        if (uri.AbsolutePath is not ("" or "/") || !string.IsNullOrEmpty(uri.Query))
        {
            error = $"'{url}' must not have a path or query";
            return false;
        }

        address = new MqttBrokerAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port);
        error = null;
        return true;
    }

    public override string ToString() => $"mqtt://{Host}:{Port}";
}
