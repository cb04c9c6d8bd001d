using System.Diagnostics;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// Per-message timestamps of one scenario: when each message was (or, open loop, was due to be) published,
/// and when the sink first observed it. Observations outside the batch's sequences and repeats are ignored.
/// </summary>
public sealed class RunRecorder(WorkloadBatch batch, SemaphoreSlim? window)
{
    private readonly long[] _sent = new long[batch.Count];
    private readonly long[] _seen = new long[batch.Count];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = batch.Count;

    public Task Completion => _done.Task;

    public int Observed => _seen.Length - Volatile.Read(ref _remaining);

    public void MarkSent(int index, long timestamp) => Volatile.Write(ref _sent[index], timestamp);

    public void Observe(long sequence)
    {
        var index = sequence - batch.FirstSequence;
        if ((ulong)index >= (ulong)_seen.Length || Interlocked.CompareExchange(ref _seen[index], Stopwatch.GetTimestamp(), 0) != 0)
        {
            return;
        }

        window?.Release();
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Throughput from the first publish to the last observation; latency percentiles by nearest rank.</summary>
    public RunResult Summarize(string scenario, TimeSpan processCpu)
    {
        var latencies = new double[_seen.Length];
        long firstSent = long.MaxValue, lastSeen = long.MinValue;
        for (var i = 0; i < _seen.Length; i++)
        {
            latencies[i] = Stopwatch.GetElapsedTime(_sent[i], _seen[i]).TotalMilliseconds;
            firstSent = Math.Min(firstSent, _sent[i]);
            lastSeen = Math.Max(lastSeen, _seen[i]);
        }

        var elapsed = Stopwatch.GetElapsedTime(firstSent, lastSeen);
        return new RunResult(scenario, _seen.Length, _seen.Length / elapsed.TotalSeconds, LatencySummary.Of(latencies), processCpu.TotalMicroseconds / _seen.Length);
    }
}

/// <summary>One scenario's outcome; CPU is the whole process's (publishers, broker and, for the pipeline, the silo) per message.</summary>
public sealed record RunResult(string Scenario, int Messages, double MessagesPerSecond, LatencySummary Latency, double CpuMicrosPerMessage);

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
public sealed record LatencySummary(double P50, double P99, double Max, int Count)
{
    public static LatencySummary Of(double[] values)
    {
        if (values.Length == 0)
        {
            return new LatencySummary(double.NaN, double.NaN, double.NaN, 0);
        }

        Array.Sort(values);
        return new LatencySummary(Rank(values, 0.50), Rank(values, 0.99), values[^1], values.Length);
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
