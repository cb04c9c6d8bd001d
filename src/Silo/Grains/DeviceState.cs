using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Grains;

[GenerateSerializer, Alias("EdgeMigrate.Silo.DeviceState")]
public sealed class DeviceState
{
    [Id(0)] public DeviceSnapshot? Snapshot { get; set; }
    [Id(1)] public string? ServiceId { get; set; }
    [Id(2)] public SequenceWindow Sequences { get; set; }
}
