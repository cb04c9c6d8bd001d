using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using System.Diagnostics;
using EdgeMigrate.Silo.Decisions;
using EdgeMigrate.Silo.Persistence;
using EdgeMigrate.Silo.Metrics;

namespace EdgeMigrate.Silo.Grains;

/// <summary>
/// A device's last known position and latencies; persisted on every report. Reports are counted once each,
/// even when another silo delivers them out of order, and only the newest moves the device.
/// </summary>
public sealed partial class DeviceGrain(
    [PersistentState("device", StorageNames.Default)] IPersistentState<DeviceState> state,
    IGrainFactory grains,
    LiveHandoverDecider decider,
    DecisionMetrics decisionMetrics,
    ILogger<DeviceGrain> logger) : Grain, IDeviceGrain
{
    /// <summary>The fleet whose policy applies when neither the device nor its service names one.</summary>
    public const string DefaultFleet = "default";

    private readonly DeviceDecisionState _decisions = new();

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

        if (verdict == SequenceWindowVerdict.Newest && state.State.ServiceId is { } serviceId)
        {
            await DecideAsync(report, serviceId);
        }
    }

    /// <summary>
    /// Runs the fleet's handover policy on the report and asks the service for a migration when it says so.
    /// A failure here is logged and counted, never lost telemetry: the report is already stored.
    /// </summary>
    private async Task DecideAsync(TelemetryMessage report, string serviceId)
    {
        var started = Stopwatch.GetTimestamp();
        var policy = "unknown";
        try
        {
            var serviceGrain = grains.GetGrain<IServiceGrain>(serviceId);
            if (await serviceGrain.GetAsync() is not { } service)
            {
                return;
            }

            var fleet = await grains.GetGrain<IFleetPolicyGrain>(state.State.Snapshot?.FleetId ?? service.Spec.FleetId ?? DefaultFleet).GetAsync();
            policy = fleet.Settings.Policy;
            if (policy == PolicyCatalog.Never.Name || !PolicyCatalog.RunsLive(policy))
            {
                return;
            }

            var (decision, outcome) = await decider.DecideAsync(report, service, fleet, _decisions);
            if (decision is not null)
            {
                var result = await serviceGrain.RequestMigrationAsync(new MigrationRequest { TargetNodeId = decision.TargetNodeId, Mode = fleet.Settings.Mode, Reason = decision.Reason });
                outcome = result.Migration is null ? "refused" : "migrate";
                LogDecision(logger, report.DeviceId, serviceId, decision.TargetNodeId, result.Migration?.MigrationId ?? "none", result.Reason ?? decision.Reason);
            }

            decisionMetrics.Record(policy, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            decisionMetrics.Record(policy, "error", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            LogDecisionFailed(logger, report.DeviceId, ex);
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

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Policy moves {DeviceId}'s service {ServiceId} to {TargetNodeId}: migration {MigrationId} ({Reason})")]
    private static partial void LogDecision(ILogger logger, string deviceId, string serviceId, string targetNodeId, string migrationId, string reason);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Handover decision for {DeviceId} failed; the report itself is stored")]
    private static partial void LogDecisionFailed(ILogger logger, string deviceId, Exception exception);

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
