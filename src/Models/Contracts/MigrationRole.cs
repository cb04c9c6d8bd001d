using System.Text.Json.Serialization;

namespace EdgeMigrate.Models.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<MigrationRole>))]
public enum MigrationRole
{
    [JsonStringEnumMemberName("source")] Source,
    [JsonStringEnumMemberName("target")] Target,
}
