namespace EdgeMigrate.Models;

public static class WorkloadEngineExtensions
{
    /// <summary>A CRIU image holds machine code and process state: it restores only on the CPU architecture that made it.</summary>
    public static bool RestoresOnSameArchitectureOnly(this WorkloadEngine engine) => engine is WorkloadEngine.Container or WorkloadEngine.Containerd;
}
