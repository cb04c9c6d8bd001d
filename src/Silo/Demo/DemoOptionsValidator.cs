using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Demo;

[OptionsValidator]
public sealed partial class DemoOptionsValidator : IValidateOptions<DemoOptions>;
