using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Persistence;

namespace EdgeMigrate.Silo.Grains;

/// <summary>A device's last known position and latencies; persisted on every accepted report.</summary>
public sealed class DeviceGrain(
    [PersistentState("device", StorageNames.Default)] IPersistentState<DeviceState> state,
    IGrainFactory grains) : Grain, IDeviceGrain
{
    public async Task RecordTelemetryAsync(TelemetryMessage report)
    {
        var previous = state.State.Snapshot;
        var isFirst = previous is null;
        if (previous is not null && IsStale(previous, report))
        {
            // Replayed or out of order: state keeps the newer report; counted so loss and duplicates show.
            state.State.Snapshot = previous with { StaleReports = previous.StaleReports + 1 };
            await state.WriteStateAsync();
            return;
        }

        state.State.Snapshot = new DeviceSnapshot
        {
            DeviceId = report.DeviceId,
            LastReportAt = report.Timestamp,
            Position = report.Position,
            SpeedMps = report.SpeedMps,
            HeadingDeg = report.HeadingDeg,
            ServingSiteId = report.ServingSiteId,
            FleetId = report.FleetId ?? previous?.FleetId,
            ServiceId = state.State.ServiceId,
            RttMs = report.RttMs ?? new Dictionary<string, double>(),
            AcceptedReports = (previous?.AcceptedReports ?? 0) + 1,
            LastSequence = report.Sequence ?? previous?.LastSequence,
            StaleReports = previous?.StaleReports ?? 0,
        };
        await state.WriteStateAsync();
        if (isFirst)
        {
            await grains.GetGrain<ICatalogGrain>(CatalogKind.Devices).AddAsync(report.DeviceId);
        }
    }

    public async Task AttachServiceAsync(string serviceId)
    {
        state.State.ServiceId = serviceId;
        if (state.State.Snapshot is { } snapshot)
        {
            state.State.Snapshot = snapshot with { ServiceId = serviceId };
        }

        await state.WriteStateAsync();
    }

    public Task<DeviceSnapshot?> GetAsync() => Task.FromResult(state.State.Snapshot);

    private static bool IsStale(DeviceSnapshot previous, TelemetryMessage report) =>
        report.Sequence is { } seq && previous.LastSequence is { } last
            ? seq <= last
            : report.Timestamp < previous.LastReportAt;
}
