using EdgeMigrate.Models;

namespace EdgeMigrate.EdgeAgent.Engines;

/// <summary>
/// A service to start on this node: its engine, its id, where its workload is (an OCI bundle directory, a module file)
/// and what it gets at a fresh start (wasm: the <c>em_init</c> config; null when none).
/// </summary>
public sealed record ServiceLaunch(WorkloadEngine Engine, string ServiceId, string Source, string? Config = null);
