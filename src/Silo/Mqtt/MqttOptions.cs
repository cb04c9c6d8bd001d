using System.ComponentModel.DataAnnotations;
using EdgeMigrate.Messaging;

namespace EdgeMigrate.Silo.Mqtt;

/// <summary>The MQTT side of the silo. Bound from the "Mqtt" configuration section.</summary>
public sealed class MqttOptions : IValidatableObject
{
    public const string Section = "Mqtt";

    /// <summary>Port of the embedded broker (used when <see cref="Url"/> is empty).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>External broker as <c>mqtt://host:port</c>; when set, no embedded broker starts.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// Shared-subscription group so several silos split telemetry between them. Defaults to "edgemigrate"
    /// with an external broker and to none with the embedded one (a single silo).
    /// </summary>
    public string? SharedGroup { get; set; }

    /// <summary>Client id of the silo's MQTT connection; defaults to one derived from host and process.</summary>
    public string? ClientId { get; set; }

    [Range(256, 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>Parallel ingestion lanes; a device always maps to the same lane so its reports stay in order.</summary>
    [Range(1, 256)]
    public int IngestLanes { get; set; } = 16;

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Url);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesEmbeddedBroker && !MqttBrokerAddress.TryParse(Url!, out _, out var error))
        {
            yield return new ValidationResult($"Mqtt:Url (--mqtt-url) {error}", [nameof(Url)]);
        }

        if (SharedGroup is { } group && (group.Length == 0 || group.IndexOfAny(['/', '+', '#']) >= 0))
        {
            yield return new ValidationResult("Mqtt:SharedGroup must be a non-empty name without '/', '+' or '#'", [nameof(SharedGroup)]);
        }
    }
}
