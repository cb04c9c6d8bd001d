using System.Diagnostics.Metrics;
using EdgeMigrate.Silo.Metrics;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// Collects the silo's own <c>edgemigrate.mqtt.ingest.duration</c> histogram (parse + validate + grain call,
/// which includes the SQLite write) per message, so the end-to-end latency can be split into in-silo work and
/// the rest (publish, broker, silo client, lane queueing).
/// </summary>
public sealed class IngestDurationListener : IDisposable
{
    private const string InstrumentName = "edgemigrate.mqtt.ingest.duration";
    private readonly MeterListener _listener = new();
    private readonly List<double> _values = [];
    private readonly Lock _gate = new();
    private volatile bool _recording;

    public IngestDurationListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IngestionMetrics.MeterName && instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            if (_recording)
            {
                lock (_gate)
                {
                    _values.Add(value);
                }
            }
        });
        _listener.Start();
    }

    public void Begin()
    {
        lock (_gate)
        {
            _values.Clear();
        }

        _recording = true;
    }

    public LatencySummary End()
    {
        _recording = false;
        lock (_gate)
        {
            return LatencySummary.Of([.. _values]);
        }
    }

    public void Dispose() => _listener.Dispose();
}
