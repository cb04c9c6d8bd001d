using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Persistence;

namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// A device's last known position and latencies; persisted on every report. Reports are counted once each,
/// even when another silo delivers them out of order, and only the newest moves the device.
/// </summary>
public sealed class DeviceGrain(
    [PersistentState("device", StorageNames.Default)] IPersistentState<DeviceState> state,
    IGrainFactory grains) : Grain, IDeviceGrain
{
    public async Task RecordTelemetryAsync(TelemetryMessage report)
    {
        var previous = state.State.Snapshot;
        var verdict = Classify(previous, report);
        if (report.Sequence is { } sequence)
        {
            state.State.Sequences = state.State.Sequences.Record(sequence);
        }

        state.State.Snapshot = verdict switch
        {
            SequenceWindowVerdict.Newest => Apply(previous, report),
            SequenceWindowVerdict.Late => previous! with { AcceptedReports = previous.AcceptedReports + 1, LateReports = previous.LateReports + 1 },
            SequenceWindowVerdict.Duplicate => previous! with { DuplicateReports = previous.DuplicateReports + 1 },
            _ => previous! with { StaleReports = previous.StaleReports + 1 },
        };
        await state.WriteStateAsync();
        if (previous is null)
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

    private SequenceWindowVerdict Classify(DeviceSnapshot? previous, TelemetryMessage report) =>
        previous is null ? SequenceWindowVerdict.Newest
        : report.Sequence is { } sequence ? state.State.Sequences.Classify(sequence)
        : report.Timestamp < previous.LastReportAt ? SequenceWindowVerdict.Late
        : SequenceWindowVerdict.Newest;

    private DeviceSnapshot Apply(DeviceSnapshot? previous, TelemetryMessage report) => new()
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
        LateReports = previous?.LateReports ?? 0,
        DuplicateReports = previous?.DuplicateReports ?? 0,
    };
}
