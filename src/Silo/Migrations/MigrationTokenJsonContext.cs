using System.Text.Json.Serialization;

namespace EdgeMigrate.Silo.Migrations;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MigrationTokenClaims))]
internal sealed partial class MigrationTokenJsonContext : JsonSerializerContext;
