using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

[RegisterConverter]
public sealed class MigrationLimitsConverter : IConverter<MigrationLimits, MigrationLimitsSurrogate>
{
    public MigrationLimits ConvertFromSurrogate(in MigrationLimitsSurrogate surrogate) => new()
    {
        MaxRounds = surrogate.MaxRounds,
        StopThresholdBytes = surrogate.StopThresholdBytes,
        MaxMbps = surrogate.MaxMbps,
    };

    public MigrationLimitsSurrogate ConvertToSurrogate(in MigrationLimits value) => new()
    {
        MaxRounds = value.MaxRounds,
        StopThresholdBytes = value.StopThresholdBytes,
        MaxMbps = value.MaxMbps,
    };
}
