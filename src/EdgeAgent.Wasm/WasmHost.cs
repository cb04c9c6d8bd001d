using Wasmtime;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// One per agent: the Wasmtime engine (compiled code is per engine) and a WASI linker. Thread-safe;
/// modules loaded here are used by <see cref="WasmWorkload"/> and <see cref="WasmMigrationTarget"/>.
/// </summary>
public sealed class WasmHost : IDisposable
{
    private readonly Lock _linkerLock = new();
    private readonly Linker _linker;

    public WasmHost()
    {
        Engine = new Engine();
        _linker = new Linker(Engine);
        _linker.DefineWasi();
    }

    internal Engine Engine { get; }

    /// <summary>
    /// Loads and compiles a module and inspects it against the workload contract. A module that is not
    /// migratable still loads (it can run, it cannot move): see <see cref="WasmModuleImage.Analysis"/>.
    /// </summary>
    /// <exception cref="WasmMigrationRefusedException">Wasmtime rejects the module.</exception>
    public WasmModuleImage LoadModule(ReadOnlyMemory<byte> bytes, string name)
    {
        var analysis = WasmModuleInspector.Inspect(bytes.Span);
        Module module;
        try
        {
            module = Module.FromBytes(Engine, name, bytes.Span);
        }
        catch (WasmtimeException ex)
        {
            throw new WasmMigrationRefusedException($"module {name} does not compile: {ex.Message}", ex);
        }

        return new WasmModuleImage(this, module, name, Sha256.Hash(bytes.Span), analysis);
    }

    /// <summary>Loads a module from a .wasm file (its file name is the module's name).</summary>
    public WasmModuleImage LoadModuleFile(string path) =>
        LoadModule(File.ReadAllBytes(path), Path.GetFileName(path));

    internal Instance Instantiate(Store store, Module module)
    {
        lock (_linkerLock)
        {
            return _linker.Instantiate(store, module);
        }
    }

    public void Dispose()
    {
        _linker.Dispose();
        Engine.Dispose();
    }
}
