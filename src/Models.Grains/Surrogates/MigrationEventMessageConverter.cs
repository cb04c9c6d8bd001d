using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

[RegisterConverter]
public sealed class MigrationEventMessageConverter : IConverter<MigrationEventMessage, MigrationEventMessageSurrogate>
{
    public MigrationEventMessage ConvertFromSurrogate(in MigrationEventMessageSurrogate surrogate) => new()
    {
        SchemaVersion = surrogate.SchemaVersion,
        MigrationId = surrogate.MigrationId,
        NodeId = surrogate.NodeId,
        Timestamp = surrogate.Timestamp,
        Phase = surrogate.Phase,
        Round = surrogate.Round,
        BytesSent = surrogate.BytesSent,
        DirtyBytes = surrogate.DirtyBytes,
        RateMbps = surrogate.RateMbps,
        DowntimeMs = surrogate.DowntimeMs,
        Error = surrogate.Error,
    };

    public MigrationEventMessageSurrogate ConvertToSurrogate(in MigrationEventMessage value) => new()
    {
        SchemaVersion = value.SchemaVersion,
        MigrationId = value.MigrationId,
        NodeId = value.NodeId,
        Timestamp = value.Timestamp,
        Phase = value.Phase,
        Round = value.Round,
        BytesSent = value.BytesSent,
        DirtyBytes = value.DirtyBytes,
        RateMbps = value.RateMbps,
        DowntimeMs = value.DowntimeMs,
        Error = value.Error,
    };
}
