using System.Collections.Frozen;
using EdgeMigrate.Hosting;
using EdgeMigrate.Models;

namespace EdgeMigrate.EdgeAgent.Engines;

/// <summary>The engines registered on this agent, by the <see cref="WorkloadEngine"/> they serve (one each).</summary>
public sealed class MigrationEngines
{
    private readonly FrozenDictionary<WorkloadEngine, IMigrationEngine> _byKind;

    public MigrationEngines(IEnumerable<IMigrationEngine> engines) => _byKind = OnePerKey.Index(engines, e => e.Kind, "engines");

    /// <summary>Every registered engine, in contract order.</summary>
    public IReadOnlyList<IMigrationEngine> All => [.. _byKind.OrderBy(p => p.Key).Select(p => p.Value)];

    /// <summary>The engines that can run here now (what the node status reports).</summary>
    public IReadOnlyList<IMigrationEngine> Available => [.. All.Where(e => e.UnavailableReason is null)];

    public IMigrationEngine? Find(WorkloadEngine kind) => _byKind.GetValueOrDefault(kind);
}
