namespace EdgeMigrate.Bench.Ingestion;

/// <summary>Something the load generator publishes into, with a sink that reports which sequences came out the far end.</summary>
public abstract class IngestionTarget : IAsyncDisposable
{
    private volatile RunRecorder? _recorder;

    public abstract string Name { get; }

    /// <summary>The MQTT port publishers connect to.</summary>
    public abstract int MqttPort { get; }

    /// <summary>Directs the sink's observations to <paramref name="recorder"/> (null: ignore them).</summary>
    public void Attach(RunRecorder? recorder) => _recorder = recorder;

    public abstract ValueTask DisposeAsync();

    protected void Observe(long sequence) => _recorder?.Observe(sequence);
}
