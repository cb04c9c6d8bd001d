using System.IO.Hashing;
using Wasmtime;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// A compiled module, its SHA-256 (which identifies it in snapshots) and its contract analysis.
/// </summary>
public sealed class WasmModuleImage : IDisposable
{
    private readonly Lock _baselineLock = new();
    private ulong[]? _pristinePageHashes;

    internal WasmModuleImage(WasmHost host, Module module, string name, byte[] sha256, WasmModuleAnalysis analysis)
    {
        Host = host;
        Module = module;
        Name = name;
        Sha256 = sha256;
        Analysis = analysis;
    }

    public string Name { get; }

    public ReadOnlyMemory<byte> Sha256 { get; }

    public string HashHex => Convert.ToHexStringLower(Sha256.Span);

    /// <summary>Whether (and why not) the module can be checkpointed and moved.</summary>
    public WasmModuleAnalysis Analysis { get; }

    internal WasmHost Host { get; }

    internal Module Module { get; }

    /// <summary>Throws the refusal, with every reason, when the module is not migratable.</summary>
    /// <exception cref="WasmMigrationRefusedException">The module breaks the workload contract.</exception>
    public void EnsureMigratable()
    {
        if (!Analysis.IsMigratable)
        {
            throw new WasmMigrationRefusedException($"module {Name} is not migratable: {Analysis.Summary}");
        }
    }

    /// <summary>
    /// Hashes of the memory pages of a freshly instantiated module (data segments applied, no code run):
    /// what a target has before the first chunk arrives, so pages still equal to it never cross the wire.
    /// </summary>
    internal ulong[] PristinePageHashes()
    {
        lock (_baselineLock)
        {
            if (_pristinePageHashes is null)
            {
                using var store = new Store(Host.Engine);
                store.SetWasiConfiguration(new WasiConfiguration());
                var instance = Host.Instantiate(store, Module);
                var memory = instance.GetMemory(WasmContract.MemoryExport)
                    ?? throw new WasmMigrationRefusedException($"module {Name} exports no memory");
                var pages = memory.GetSize();
                var hashes = new ulong[pages];
                for (var i = 0; i < pages; i++)
                {
                    hashes[i] = XxHash3.HashToUInt64(memory.GetSpan(i * (long)WasmStateChunk.PageSize, WasmStateChunk.PageSize));
                }

                _pristinePageHashes = hashes;
            }

            return _pristinePageHashes;
        }
    }

    internal static ulong ZeroPageHash { get; } = XxHash3.HashToUInt64(new byte[WasmStateChunk.PageSize]);

    public void Dispose() => Module.Dispose();

    public override string ToString() => $"{Name} (sha256:{HashHex[..12]})";
}
