using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeMigrate.Silo.Metrics;

/// <summary>Live handover decisions: how long one takes per telemetry report, and what came of it.</summary>
public sealed class DecisionMetrics
{
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _outcomes;

    public DecisionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(IngestionMetrics.MeterName);
        _duration = meter.CreateHistogram<double>("edgemigrate.decision.duration", "ms", "Features, prediction and policy for one telemetry report");
        _outcomes = meter.CreateCounter<long>("edgemigrate.decision.outcomes", "{decision}", "Live policy evaluations by policy and outcome (stay, migrate, refused, no-target, no-data)");
    }

    public void Record(string policy, string outcome, double elapsedMs)
    {
        var tags = new TagList { { "policy", policy }, { "outcome", outcome } };
        _duration.Record(elapsedMs, tags);
        _outcomes.Add(1, tags);
    }
}
