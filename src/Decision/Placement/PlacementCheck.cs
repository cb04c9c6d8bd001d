using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Decision.Placement;

/// <summary>
/// Can a service move from one node to another? Pure rules, shared by the silo's API, policies and the
/// simulator: both agents online, the target runs the engine, and a container only restores on the same ISA.
/// </summary>
public static class PlacementCheck
{
    /// <summary>Null when the move is possible; otherwise the reason, phrased for an operator.</summary>
    public static string? WhyNot(WorkloadEngine engine, MigrationMode mode, EdgeNodeSnapshot source, EdgeNodeSnapshot target)
    {
        if (source.NodeId == target.NodeId)
        {
            return $"the service already runs on {target.NodeId}";
        }

        if (!target.Online)
        {
            return $"target node {target.NodeId} is offline";
        }

        if (!source.Online)
        {
            return $"source node {source.NodeId} is offline, so nothing can be checkpointed there";
        }

        if (!target.Engines.Contains(engine))
        {
            return $"target node {target.NodeId} has no {EngineName(engine)} engine (it has: {(target.Engines.Count == 0 ? "none" : string.Join(", ", target.Engines.Select(EngineName)))})";
        }

        if (engine.RestoresOnSameArchitectureOnly())
        {
            if (source.Arch is null || target.Arch is null)
            {
                return "a container checkpoint restores only on the same CPU architecture, and a node has not reported its architecture";
            }

            if (source.Arch != target.Arch)
            {
                return $"a container checkpoint from {ArchName(source.Arch.Value)} cannot restore on {ArchName(target.Arch.Value)} ({target.NodeId}); package the service as WebAssembly to cross architectures";
            }
        }

        if (engine == WorkloadEngine.Wasm && mode == MigrationMode.PostCopy)
        {
            return "post-copy is for containers (CRIU lazy pages); WebAssembly services move with pre-copy or stop-and-copy";
        }

        if (string.IsNullOrEmpty(target.TransferEndpoint))
        {
            return $"target node {target.NodeId} has not reported a transfer endpoint";
        }

        return null;
    }

    private static string EngineName(WorkloadEngine engine) => engine.ToWireName();

    private static string ArchName(CpuArchitecture arch) => arch == CpuArchitecture.X64 ? "x64" : "arm64";
}
