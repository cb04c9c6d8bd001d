namespace EdgeMigrate.Bench.Ingestion;

/// <summary>What one harness run does; every value comes from the command line.</summary>
/// <param name="Messages">Measured messages per scenario (warm-up excluded).</param>
/// <param name="Devices">Distinct device ids the messages are spread over (message i belongs to device i mod Devices).</param>
/// <param name="Warmup">Messages sent before each target is measured: JIT, grain activation, SQLite rows, socket buffers.</param>
/// <param name="Publishers">MQTT client connections that publish; each owns a fixed subset of the devices.</param>
/// <param name="Window">Saturation runs: most messages published but not yet observed at the sink, end to end.</param>
/// <param name="OpenLoopFraction">Open-loop runs publish at this fraction of the pipeline's measured maximum; 0 skips them.</param>
/// <param name="RunTimeout">Longest any one scenario may take before the harness reports what is missing.</param>
public sealed record BenchOptions(int Messages, int Devices, int Warmup, int Publishers, int Window, double OpenLoopFraction, TimeSpan RunTimeout);
