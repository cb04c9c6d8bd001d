using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Hosting;

[OptionsValidator]
public sealed partial class SiloOptionsValidator : IValidateOptions<SiloOptions>;
