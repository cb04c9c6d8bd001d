namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>How a workload runs on this node. Source and target of a migration use equivalent options.</summary>
public sealed record WasmWorkloadOptions
{
    /// <summary>
    /// Host directory the module sees, read-write, as <c>/data</c>; its files move with the workload (the
    /// target's directory is emptied and refilled). Null: no directory.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Passed to <c>em_init</c> on a fresh start (never on a restore).</summary>
    public ReadOnlyMemory<byte> Config { get; init; }

    /// <summary>Program arguments the module sees through WASI (argv[0] is the module name).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables the module sees through WASI.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the module's stdout/stderr go (one call per write); null discards them.</summary>
    public Action<string>? Output { get; init; }

    /// <summary>Largest response accepted from <c>em_handle</c>, in bytes.</summary>
    public int MaxResponseBytes { get; init; } = 16 * 1024 * 1024;
}
