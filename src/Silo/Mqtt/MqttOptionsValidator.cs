using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Mqtt;

[OptionsValidator]
public sealed partial class MqttOptionsValidator : IValidateOptions<MqttOptions>;
