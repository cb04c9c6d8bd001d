using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.EdgeAgent.Engines;

/// <summary>
/// One way of running services on this node and moving them to another node: the runc container engine, the wasm
/// engine, next a containerd engine. Registered once with <c>AddMigrationEngine&lt;T&gt;()</c>; everything else (status,
/// start-up services, commands, the registry of running migrations, the transfer protocol) finds it by
/// <see cref="Kind"/> and asks it through this interface only.
/// </summary>
public interface IMigrationEngine
{
    /// <summary>The engine a service and a migrate command name (<c>engine</c> in the contract).</summary>
    WorkloadEngine Kind { get; }

    /// <summary>What this engine's migrations can do: modes, cross-architecture restore, lazy pages.</summary>
    EngineCapabilities Capabilities { get; }

    /// <summary>Why the engine cannot run here (tool or library missing); null when it can. The node reports only available engines.</summary>
    string? UnavailableReason { get; }

    /// <summary>Starts a service from its workload (bundle directory, module file, image reference); a service that already runs here is left alone.</summary>
    Task StartServiceAsync(ServiceLaunch launch, CancellationToken cancellationToken);

    /// <summary>Stops a service and deletes its files; false when it did not run here.</summary>
    Task<bool> RemoveServiceAsync(string serviceId, CancellationToken cancellationToken);

    /// <summary>The services this engine runs here (including one frozen mid-migration).</summary>
    Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The source side of a migration: the shared lifecycle (connect, bundle, pre-copy rounds, freeze, final round,
    /// commit or roll back) with this engine's steps.
    /// </summary>
    SourceMigrationLifecycle CreateSource(MigrationContext context, NodeCommandMessage command);

    /// <summary>The target side: the shared receiver lifecycle with this engine's restore and removal.</summary>
    TargetMigrationLifecycle CreateTarget(MigrationContext context, NodeCommandMessage command);
}
