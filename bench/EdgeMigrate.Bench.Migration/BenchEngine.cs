namespace EdgeMigrate.Bench.Migration;

/// <summary>What is migrated: a runc container (CRIU) or a WebAssembly module (Wasmtime).</summary>
public enum BenchEngine
{
    Container,
    Wasm,
}
