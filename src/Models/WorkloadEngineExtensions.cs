namespace EdgeMigrate.Models;

public static class WorkloadEngineExtensions
{
    /// <summary>The engine's name in the contract and in messages (<c>container</c>, <c>wasm</c>, <c>containerd</c>).</summary>
    public static string ContractName(this WorkloadEngine engine) => engine switch
    {
        WorkloadEngine.Container => "container",
        WorkloadEngine.Wasm => "wasm",
        WorkloadEngine.Containerd => "containerd",
        _ => engine.ToString(),
    };

    /// <summary>A CRIU image holds machine code and process state: it restores only on the CPU architecture that made it.</summary>
    public static bool RestoresOnSameArchitectureOnly(this WorkloadEngine engine) => engine is WorkloadEngine.Container or WorkloadEngine.Containerd;
}
