using EdgeMigrate.EdgeAgent.Engines;
using EdgeMigrate.Models;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>The services named on the command line (<c>--run</c>, <c>--run-wasm</c>, <c>--wasm-config</c>), as launches for their engines.</summary>
public static class ServiceRuns
{
    /// <summary>Whether a --run value names a wasm module rather than an OCI bundle.</summary>
    public static bool IsWasmRun(string run) => run.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every SERVICE=BUNDLE this agent starts as a container.</summary>
    public static IEnumerable<string> ContainerRuns(AgentOptions options) => options.Run.Where(r => !IsWasmRun(r));

    /// <summary>Every SERVICE=MODULE this agent starts as a wasm service.</summary>
    public static IEnumerable<string> WasmRuns(AgentOptions options) => options.Run.Where(IsWasmRun).Concat(options.RunWasm);

    /// <summary>What start-up starts: the containers, then the wasm services with their configs (values are validated by then).</summary>
    public static IEnumerable<ServiceLaunch> Launches(AgentOptions options) =>
        ContainerRuns(options).Select(r => Split(r) is var (id, bundle) ? new ServiceLaunch(WorkloadEngine.Container, id, bundle) : null!)
            .Concat(WasmRuns(options).Select(r => Split(r) is var (id, module) ? new ServiceLaunch(WorkloadEngine.Wasm, id, module, ConfigOf(options, id)) : null!));

    /// <summary>The --wasm-config text for <paramref name="serviceId"/> (the last one wins), null if none.</summary>
    public static string? ConfigOf(AgentOptions options, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? config = null;
        foreach (var entry in options.WasmConfig)
        {
            if (entry.Length > serviceId.Length && entry[serviceId.Length] == '=' && entry.StartsWith(serviceId, StringComparison.Ordinal))
            {
                config = entry[(serviceId.Length + 1)..];
            }
        }

        return config;
    }

    private static (string ServiceId, string Source) Split(string run)
    {
        var eq = run.IndexOf('=', StringComparison.Ordinal);
        return (run[..eq], run[(eq + 1)..]);
    }
}
