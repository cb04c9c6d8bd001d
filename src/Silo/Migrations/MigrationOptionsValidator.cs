using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Migrations;

[OptionsValidator]
public sealed partial class MigrationOptionsValidator : IValidateOptions<MigrationOptions>;
