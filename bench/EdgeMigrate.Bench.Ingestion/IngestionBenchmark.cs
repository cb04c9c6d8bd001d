using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// Runs the silo pipeline and the bare broker with the same messages, payload shape, QoS, publishers and
/// window, one target at a time in this process, and prints one Markdown table with the ratios.
/// </summary>
public sealed class IngestionBenchmark(BenchOptions options, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        WriteHeader();
        using var ingestDurations = new IngestDurationListener();

        Outcome pipeline;
        FleetCheck fleet;
        Silo.Metrics.IngestionStatistics statistics;
        var pipelineWorkload = new TelemetryWorkload(options.Devices, TimeProvider.System);
        await using (var silo = await SiloPipelineTarget.StartAsync(cancellationToken))
        {
            output.WriteLine($"silo started: embedded broker on 127.0.0.1:{silo.MqttPort}, SQLite store in {silo.DataDir}");
            pipeline = await MeasureAsync(silo, pipelineWorkload, rate: null, ingestDurations, cancellationToken);
            fleet = await silo.CheckDevicesAsync(pipelineWorkload);
            statistics = silo.Statistics();
        }

        Outcome baseline;
        await using (var broker = await BrokerPassThroughTarget.StartAsync(cancellationToken))
        {
            output.WriteLine($"baseline broker started on 127.0.0.1:{broker.MqttPort}");
            baseline = await MeasureAsync(broker, new TelemetryWorkload(options.Devices, TimeProvider.System), pipeline.OpenLoopRate, ingestDurations: null, cancellationToken);
        }

        WriteResults(baseline, pipeline);
        var expected = pipeline.MessagesSent;
        var ok = fleet.AcceptedReports == expected && fleet.StaleReports == 0 && fleet.DevicesBehind.Count == 0 && statistics.Rejected == 0 && statistics.Failed == 0;
        output.WriteLine();
        output.WriteLine($"Check (device grains read back through IGrainFactory): accepted reports {fleet.AcceptedReports} of {expected} sent, stale {fleet.StaleReports}, " +
            $"devices not at their last sequence {fleet.DevicesBehind.Count}; silo counters: accepted {statistics.Accepted}, rejected {statistics.Rejected}, failed {statistics.Failed}. {(ok ? "OK" : "MISMATCH")}");
        foreach (var device in fleet.DevicesBehind.Take(5))
        {
            output.WriteLine($"  behind: {device}");
        }

        return ok ? 0 : 1;
    }

    private async Task<Outcome> MeasureAsync(IngestionTarget target, TelemetryWorkload workload, double? rate, IngestDurationListener? ingestDurations, CancellationToken cancellationToken)
    {
        await using var load = await LoadGenerator.ConnectAsync(target.MqttPort, options.Publishers, options.Devices, cancellationToken);
        var sent = 0;
        if (options.Warmup > 0)
        {
            await ClosedLoopAsync(target, load, workload.NextBatch(options.Warmup), $"{target.Name}: warm-up", cancellationToken);
            sent += options.Warmup;
        }

        ingestDurations?.Begin();
        var saturated = await ClosedLoopAsync(target, load, workload.NextBatch(options.Messages), $"{target.Name}, saturated (window {options.Window})", cancellationToken);
        var saturatedInSilo = ingestDurations?.End();
        sent += options.Messages;

        rate ??= options.OpenLoopFraction > 0 ? options.OpenLoopFraction * saturated.MessagesPerSecond : null;
        RunResult? open = null;
        LatencySummary? openInSilo = null;
        if (rate is { } r)
        {
            ingestDurations?.Begin();
            open = await OpenLoopAsync(target, load, workload.NextBatch(options.Messages), r, $"{target.Name}, open loop {r.ToString("N0", CultureInfo.InvariantCulture)}/s", cancellationToken);
            openInSilo = ingestDurations?.End();
            sent += options.Messages;
        }

        return new Outcome(saturated, saturatedInSilo, open, openInSilo, rate, sent);
    }

    private async Task<RunResult> ClosedLoopAsync(IngestionTarget target, LoadGenerator load, WorkloadBatch batch, string scenario, CancellationToken cancellationToken)
    {
        using var window = new SemaphoreSlim(options.Window);
        var recorder = new RunRecorder(batch, window);
        return await RunAsync(target, recorder, batch, scenario, ct => load.RunClosedLoopAsync(batch, recorder, window, ct), cancellationToken);
    }

    private Task<RunResult> OpenLoopAsync(IngestionTarget target, LoadGenerator load, WorkloadBatch batch, double rate, string scenario, CancellationToken cancellationToken)
    {
        var recorder = new RunRecorder(batch, window: null);
        return RunAsync(target, recorder, batch, scenario, ct => load.RunOpenLoopAsync(batch, recorder, rate, ct), cancellationToken);
    }

    private async Task<RunResult> RunAsync(IngestionTarget target, RunRecorder recorder, WorkloadBatch batch, string scenario, Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        // Start each scenario from a clean heap so one run's garbage is not collected on the next one's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.RunTimeout);
        target.Attach(recorder);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        try
        {
            await Task.WhenAll(recorder.Completion, publish(limit.Token)).WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{scenario}: only {recorder.Observed} of {batch.Count} messages came out within {options.RunTimeout.TotalSeconds:0} s");
        }
        finally
        {
            target.Attach(null);
        }

        var result = recorder.Summarize(scenario, Environment.CpuUsage.TotalTime - cpuBefore);
        output.WriteLine(FormattableString.Invariant($"  {scenario}: {result.Messages} msgs, {result.MessagesPerSecond:N0} msgs/s, p50 {result.Latency.P50:F2} ms, p99 {result.Latency.P99:F2} ms, {result.CpuMicrosPerMessage:F0} µs CPU/msg"));
        return result;
    }

    private void WriteHeader()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        output.WriteLine($"machine: {Environment.ProcessorCount} logical CPUs, {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}");
        output.WriteLine($"workload: {options.Messages} measured messages per scenario over {options.Devices} devices, {options.Warmup} warm-up, {options.Publishers} publishers, QoS 1, window {options.Window}, open loop at {options.OpenLoopFraction:P0} of pipeline max");
    }

    private void WriteResults(Outcome baseline, Outcome pipeline)
    {
        output.WriteLine();
        output.WriteLine("| scenario | msgs/s | p50 ms | p99 ms | max ms | CPU µs/msg |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row(baseline.Saturated);
        Row(pipeline.Saturated);
        Ratio("pipeline ÷ baseline, saturated", pipeline.Saturated, baseline.Saturated);
        if (baseline.OpenLoop is { } baseOpen && pipeline.OpenLoop is { } pipeOpen)
        {
            Row(baseOpen);
            Row(pipeOpen);
            Ratio("pipeline ÷ baseline, open loop", pipeOpen, baseOpen);
        }

        InSilo("in-silo ingest duration (histogram), saturated", pipeline.SaturatedInSilo);
        InSilo("in-silo ingest duration (histogram), open loop", pipeline.OpenLoopInSilo);
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant($"Latency: baseline = publish → subscriber received it; pipeline = publish → DeviceGrain state containing it written to SQLite. Saturated runs keep {options.Window} messages in flight end to end, so their latency is mostly that queue (≈ window ÷ throughput); open-loop runs show latency at a fixed rate, counted from each message's due time."));
    }

    private void Row(RunResult r) =>
        output.WriteLine(FormattableString.Invariant($"| {r.Scenario} | {r.MessagesPerSecond:N0} | {r.Latency.P50:F2} | {r.Latency.P99:F2} | {r.Latency.Max:F2} | {r.CpuMicrosPerMessage:F0} |"));

    private void Ratio(string label, RunResult pipeline, RunResult baseline) =>
        output.WriteLine(FormattableString.Invariant(
            $"| **{label}** | **{pipeline.MessagesPerSecond / baseline.MessagesPerSecond:F3}×** | **{pipeline.Latency.P50 / baseline.Latency.P50:F1}×** | **{pipeline.Latency.P99 / baseline.Latency.P99:F1}×** | {pipeline.Latency.Max / baseline.Latency.Max:F1}× | {pipeline.CpuMicrosPerMessage / baseline.CpuMicrosPerMessage:F1}× |"));

    private void InSilo(string label, LatencySummary? summary)
    {
        if (summary is { Count: > 0 } s)
        {
            output.WriteLine(FormattableString.Invariant($"| {label} | — | {s.P50:F2} | {s.P99:F2} | {s.Max:F2} | — |"));
        }
    }

    private sealed record Outcome(RunResult Saturated, LatencySummary? SaturatedInSilo, RunResult? OpenLoop, LatencySummary? OpenLoopInSilo, double? OpenLoopRate, int MessagesSent);
}
