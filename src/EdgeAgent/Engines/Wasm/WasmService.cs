using EdgeMigrate.EdgeAgent.Wasm;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>A wasm service hosted by this agent: its module and its running workload.</summary>
public sealed class WasmService(string serviceId, WasmModuleImage image, WasmWorkload workload) : IDisposable
{
    public string ServiceId { get; } = serviceId;

    public WasmModuleImage Image { get; } = image;

    public WasmWorkload Workload { get; } = workload;

    public void Dispose()
    {
        Workload.Dispose();
        Image.Dispose();
    }
}
