using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// Moves a service only when its hosting site is about to stop meeting the SLA, and then to the site expected to keep
/// meeting it longest: the model's breach classifier gives, per measured site, the probability that the device's
/// latency from that site exceeds <see cref="PolicySettings.SlaLatencyMs"/> within T seconds, which integrates to the
/// expected seconds it keeps the SLA. The move starts once the host's probability of a breach within (expected
/// migration time + <see cref="PolicySettings.SafetyMarginSeconds"/>) reaches <see cref="PolicySettings.BreachProbability"/>, held for
/// <see cref="ConfirmObservations"/> observations, so pre-copy completes before the host breaks the SLA; one move then
/// covers several radio handovers, which is what saves downtime (the oracle's plan, with predictions instead of the
/// future). Falls back to <see cref="ReactivePolicy"/> while the window has too little history, and when the host
/// already breaks the SLA and no measured site is predicted to do better. Per-device memory lives in a
/// <see cref="DeviceFeatureWindow"/> held by the caller (silo: one per device grain);
/// <see cref="Decide(in DeviceObservation, ref DevicePolicyState)"/> keeps a window per device index itself for callers
/// that only have <see cref="IHandoverPolicy"/> (the simulator).
/// </summary>
public sealed class PredictivePolicy : IHandoverPolicy
{
    /// <summary>A migration starts only when it has been due on this many consecutive observations (filters one-off mispredictions).</summary>
    public const int ConfirmObservations = 3;

    private readonly IHandoverPredictor _predictor;
    private readonly Func<int, int, double> _migrationSeconds;
    private readonly ReactivePolicy _reactive;
    private readonly double _marginSeconds;
    private readonly double _slaMs;
    private readonly double _minConfidence;
    private readonly double _breachProbability;
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
        _slaMs = settings.SlaLatencyMs;
        _minConfidence = settings.MinConfidence;
        _breachProbability = settings.BreachProbability;
    }

    public string Name => PolicyCatalog.Predictive.Name;

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
            window.PendingCount = 0;
            return Stay(ref state);
        }

        if (features is null)
        {
            return _reactive.Decide(in observation, ref state);
        }

        var host = observation.HostingSite;
        Span<float> row = stackalloc float[SiteReachFeatures.Count];
        var described = window.DescribeSite(features, host, _slaMs, row);
        var breaking = features.HostLatencyMs > _slaMs || !described;

        // Not yet: the host is unlikely to break the SLA before a migration started now (after the confirmation's
        // delay, with the margin) would be over.
        var migration = _migrationSeconds(host, features.BestSite);
        var lead = migration + _marginSeconds + (ConfirmObservations - 1) * window.LastIntervalSeconds;
        if (!breaking && _predictor.PredictBreachProbability(row, lead) < _breachProbability)
        {
            window.PendingCount = 0;
            return Stay(ref state);
        }

        var hostReach = breaking ? 0 : ExpectedCoverageSeconds(row);

        // Where to: the measured site expected to keep the SLA longest, among those meeting it now that the model is at
        // least MinConfidence sure will still meet it once the service has arrived (ties: lower latency, then lower
        // index, so the choice is deterministic).
        var target = -1;
        var targetReach = double.NegativeInfinity;
        var targetMs = double.PositiveInfinity;
        foreach (var site in observation.Sites.Span)
        {
            if (site.Site == host || !(site.LatencyMs <= _slaMs) || !window.DescribeSite(features, site.Site, _slaMs, row))
            {
                continue;
            }

            if (_predictor.PredictBreachProbability(row, 2 * migration) > 1 - _minConfidence)
            {
                continue;
            }

            var reach = ExpectedCoverageSeconds(row);
            if (reach > targetReach || (reach == targetReach && (site.LatencyMs < targetMs || (site.LatencyMs == targetMs && site.Site < target))))
            {
                target = site.Site;
                targetReach = reach;
                targetMs = site.LatencyMs;
            }
        }

        if (target < 0)
        {
            // The model is not sure of any site: a host that already breaks the SLA is left to the reactive rule.
            window.PendingCount = 0;
            return breaking ? _reactive.Decide(in observation, ref state) : Stay(ref state);
        }

        if (breaking)
        {
            return Start(window, ref state, target);
        }

        // A move that buys less time than the migration itself takes is not worth its downtime.
        if (targetReach < hostReach + _migrationSeconds(host, target))
        {
            window.PendingCount = 0;
            return Stay(ref state);
        }

        window.PendingCount++;
        return window.PendingCount >= ConfirmObservations ? Start(window, ref state, target) : Stay(ref state);
    }

    /// <summary>
    /// Expected seconds the site keeps the SLA, up to the longest question the breach classifier was trained on:
    /// the sum over its questions T of P(no breach within T) times the step to T. Read off the calibrated classifier
    /// rather than the reach regression, whose conditional mean cannot tell a site just ahead from one further on
    /// (GTFS route split in docs/prediction.md).
    /// </summary>
    private double ExpectedCoverageSeconds(Span<float> row)
    {
        var expected = 0.0;
        var previous = 0f;
        foreach (var within in HandoverEvaluation.BreachQuestions)
        {
            expected += (1 - _predictor.PredictBreachProbability(row, within)) * (within - previous);
            previous = within;
        }

        return expected;
    }

    /// <summary>Staying on the model's word also stops the reactive timer, so a later fallback starts it afresh.</summary>
    private static HandoverDecision Stay(ref DevicePolicyState state)
    {
        state.CandidateSite = -1;
        return HandoverDecision.Stay;
    }

    private static HandoverDecision Start(DeviceFeatureWindow window, ref DevicePolicyState state, int target)
    {
        state.CandidateSite = -1;
        window.PendingCount = 0;
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
