using EdgeMigrate.Models;

namespace EdgeMigrate.EdgeAgent.Engines;

/// <summary>What an engine's migrations can do; a migrate command asking for more is refused before anything starts.</summary>
public sealed record EngineCapabilities
{
    /// <summary>The migration modes it implements (pre-copy, stop-and-copy; post-copy needs lazy pages).</summary>
    public required IReadOnlySet<MigrationMode> Modes { get; init; }

    /// <summary>Its state restores on another CPU architecture than the one that captured it (wasm: yes; a CRIU image: no).</summary>
    public bool CrossArchitecture { get; init; }

    /// <summary>Memory can follow the restore on demand (CRIU lazy pages), which post-copy and hybrid modes need.</summary>
    public bool LazyPages { get; init; }
}
