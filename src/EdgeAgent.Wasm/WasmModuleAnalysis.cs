namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// What <see cref="WasmModuleInspector"/> found in a module: whether it can be checkpointed and moved
/// (<see cref="IsMigratable"/>), and every reason it cannot (<see cref="Problems"/>).
/// </summary>
public sealed record WasmModuleAnalysis
{
    /// <summary>Every reason the module is not migratable; empty when it is.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <summary>Mutable globals by export name (all of them are exported when the module is migratable).</summary>
    public required IReadOnlyList<WasmGlobalInfo> MutableGlobals { get; init; }

    /// <summary>Tables the module defines, by export name (null when not exported).</summary>
    public required IReadOnlyList<WasmTableInfo> Tables { get; init; }

    /// <summary>Imports, as "module.name".</summary>
    public required IReadOnlyList<string> Imports { get; init; }

    /// <summary>Initial pages of the module's memory (0 when it has none).</summary>
    public long InitialMemoryPages { get; init; }

    /// <summary>Whether the module exports <c>_initialize</c>.</summary>
    public bool HasReactorInitialize { get; init; }

    /// <summary>Whether the module exports <c>em_init</c>.</summary>
    public bool HasInit { get; init; }

    public bool IsMigratable => Problems.Count == 0;

    /// <summary>The problems as one line, e.g. for a refusal message.</summary>
    public string Summary => IsMigratable ? "migratable" : string.Join("; ", Problems);
}

/// <summary>A mutable global of a module.</summary>
/// <param name="Index">Index in the module's global space.</param>
/// <param name="ExportName">Its export name, or null when it is not exported.</param>
/// <param name="Type">Value type: i32, i64, f32, f64 (others make the module non-migratable).</param>
public sealed record WasmGlobalInfo(int Index, string? ExportName, WasmValueType Type);

/// <summary>A table the module defines.</summary>
public sealed record WasmTableInfo(int Index, string? ExportName, long InitialSize);

/// <summary>Value types the snapshot can carry.</summary>
public enum WasmValueType : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,
}
