using System.Text.Json.Serialization;

namespace EdgeMigrate.Models.Contracts;

/// <summary>Source-generated JSON for every MQTT payload: camelCase names, strict numbers.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TelemetryMessage))]
[JsonSerializable(typeof(NodeStatusMessage))]
[JsonSerializable(typeof(NodeCommandMessage))]
[JsonSerializable(typeof(MigrationEventMessage))]
[JsonSerializable(typeof(ServiceEndpointMessage))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
