namespace EdgeMigrate.Bench.Migration;

/// <summary>The architecture of agent b (agent a is always this x86-64 host).</summary>
public enum BenchTarget
{
    X64,

    /// <summary>The linux-arm64 agent under qemu-aarch64-static: WebAssembly only.</summary>
    Arm64,
}
