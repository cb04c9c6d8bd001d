using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Migrates ahead of the predicted handover: when (predicted handover time − expected migration time −
/// <see cref="PolicySettings.SafetyMarginSeconds"/>) is due (held for <see cref="ConfirmObservations"/> observations),
/// the service moves to the predicted next site, so pre-copy completes before the device gets there; but only when the
/// hosting site would no longer meet the SLA (less the hysteresis margin) after that handover, so services stay on
/// sites that are still good enough. Falls back to <see cref="ReactivePolicy"/> while the window has too little history
/// and whenever the model's confidence is below <see cref="PolicySettings.MinConfidence"/>; a lagging service that the
/// next handover would push past the SLA is also kept within reach by the reactive rule until the model's move is due.
/// Per-device memory lives in a <see cref="DeviceFeatureWindow"/> held by the caller (silo: one per device grain);
/// <see cref="Decide(in DeviceObservation, ref DevicePolicyState)"/> keeps a window per device index itself for callers
/// that only have <see cref="IHandoverPolicy"/> (the simulator).
/// </summary>
public sealed class PredictivePolicy : IHandoverPolicy
{
    /// <summary>After a migration towards a predicted site, the service is not sent back for this long past the predicted handover.</summary>
    public const double ArrivalGraceSeconds = 20;

    /// <summary>A migration starts only when the same target has been due on this many consecutive observations (filters one-off mispredictions).</summary>
    public const int ConfirmObservations = 3;

    private readonly IHandoverPredictor _predictor;
    private readonly Func<int, int, double> _migrationSeconds;
    private readonly ReactivePolicy _reactive;
    private readonly double _marginSeconds;
    private readonly double _minConfidence;
    private readonly double _slaMs;
    private readonly double _hysteresisMs;
    private readonly Lock _windowsLock = new();
    private DeviceFeatureWindow?[] _windows = [];

    public PredictivePolicy(PolicySettings settings, IHandoverPredictor predictor, Func<int, int, double> migrationSeconds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(migrationSeconds);
        _predictor = predictor;
        _migrationSeconds = migrationSeconds;
        _reactive = new ReactivePolicy(settings);
        _marginSeconds = settings.SafetyMarginSeconds;
        _minConfidence = settings.MinConfidence;
        _slaMs = settings.SlaLatencyMs;
        _hysteresisMs = settings.HysteresisMs;
    }

    public string Name => "predictive";

    /// <summary>Uses an internal window per <see cref="DeviceObservation.Device"/> index.</summary>
    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state) =>
        Decide(in observation, ref state, WindowOf(observation.Device));

    /// <summary>Feeds <paramref name="window"/> (the device's own) with the observation and decides.</summary>
    public HandoverDecision Decide(in DeviceObservation observation, ref DevicePolicyState state, DeviceFeatureWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var features = window.Observe(in observation);
        if (observation.MigrationInFlight)
        {
            state.CandidateSite = -1;
            return HandoverDecision.Stay;
        }

        if (features is null)
        {
            return _reactive.Decide(in observation, ref state);
        }

        var prediction = _predictor.Predict(features);
        var host = observation.HostingSite;
        var now = observation.TimeSeconds;
        if (prediction.NextSite < 0 || prediction.Confidence < _minConfidence)
        {
            Confirmed(window, false, -1);
            return _reactive.Decide(in observation, ref state);
        }

        var next = prediction.NextSite;
        if (next == host)
        {
            // The device is heading back to (or towards) the site that already hosts its service.
            Confirmed(window, false, -1);
            return Stay(ref state);
        }

        var hostMs = (double)features.HostLatencyMs;
        var bestMs = (double)features.BestLatencyMs;
        var nextMs = LatencyOf(observation, next);
        if (hostMs > _slaMs && features.BestSite != host)
        {
            // Already breaking the SLA: move now, to the next site if the device is about to get there, else to the best one.
            var target = Due(prediction, host, next, _migrationSeconds(host, features.BestSite)) ? next : features.BestSite;
            return Start(window, ref state, prediction, now, target);
        }

        // After the predicted handover the device is served by the next site; the hosting site's latency then is about
        // the next site's latency now (host is best), or the host's latency plus the step from best to next (a
        // conservative bound when the service already lags). Moving only when that breaks the SLA keeps services on
        // sites that are still good enough, so one migration can cover several handovers. The hysteresis margin covers
        // the estimate's error (the access part changes at the handover).
        var hostAfter = features.BestSite == host ? nextMs : hostMs + Math.Max(0, nextMs - bestMs);
        // A service moved ahead of the device waits there while the device approaches, for a while past the predicted
        // handover: sending it back would be a ping-pong.
        var arriving = window.PlannedSite == host && features.HostRadialMps < 0 && now <= window.PlannedHandoverSeconds + ArrivalGraceSeconds;
        var needed = hostAfter > _slaMs - _hysteresisMs;
        // Confirmation takes a few more observations: count them into the lead so the move still completes in time.
        var confirmation = (ConfirmObservations - 1) * window.LastIntervalSeconds;
        if (Confirmed(window, !arriving && needed && Due(prediction, host, next, confirmation), next))
        {
            return Start(window, ref state, prediction, now, next);
        }

        // Not due yet. A lagging service that the next handover would push past the SLA is not left to the model's
        // timing alone: the reactive rule keeps it within one hop (waiting is only for services that stay good enough).
        return features.BestSite != host && needed && !arriving ? _reactive.Decide(in observation, ref state) : Stay(ref state);
    }

    /// <summary>Staying on the model's word also stops the reactive timer, so a later fallback starts it afresh.</summary>
    private static HandoverDecision Stay(ref DevicePolicyState state)
    {
        state.CandidateSite = -1;
        return HandoverDecision.Stay;
    }

    private static double LatencyOf(in DeviceObservation observation, int site)
    {
        foreach (var measurement in observation.Sites.Span)
        {
            if (measurement.Site == site)
            {
                return measurement.LatencyMs;
            }
        }

        return double.PositiveInfinity;
    }

    private bool Due(in HandoverPrediction prediction, int host, int target, double slackSeconds = 0) =>
        prediction.SecondsToHandover - _migrationSeconds(host, target) - _marginSeconds <= slackSeconds;

    private static bool Confirmed(DeviceFeatureWindow window, bool due, int target)
    {
        if (!due)
        {
            window.PendingTarget = -1;
            window.PendingCount = 0;
            return false;
        }

        window.PendingCount = window.PendingTarget == target ? window.PendingCount + 1 : 1;
        window.PendingTarget = target;
        return window.PendingCount >= ConfirmObservations;
    }

    private static HandoverDecision Start(DeviceFeatureWindow window, ref DevicePolicyState state, in HandoverPrediction prediction, double now, int target)
    {
        state.CandidateSite = -1;
        window.PendingTarget = -1;
        window.PendingCount = 0;
        window.PlannedSite = target;
        window.PlannedHandoverSeconds = now + prediction.SecondsToHandover;
        return HandoverDecision.MigrateTo(target);
    }

    private DeviceFeatureWindow WindowOf(int device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(device);
        lock (_windowsLock)
        {
            if (device >= _windows.Length)
            {
                Array.Resize(ref _windows, Math.Max(device + 1, _windows.Length * 2));
            }

            return _windows[device] ??= new DeviceFeatureWindow();
        }
    }
}
