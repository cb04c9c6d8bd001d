using System.Globalization;

namespace EdgeMigrate.Bench.Migration;

/// <summary>One memory size × dirty rate of one engine: what a pair of agents migrates.</summary>
public sealed record Combination(BenchEngine Engine, int MemoryMiB, double DirtyMiBPerSecond, int DirtyPagesPerRequest)
{
    /// <summary>The dirty-rate cell: MiB/s, and for wasm the pages per request it comes from.</summary>
    public string DirtyLabel => Engine == BenchEngine.Wasm
        ? string.Create(CultureInfo.InvariantCulture, $"{DirtyMiBPerSecond:0.##} ({DirtyPagesPerRequest} p/req)")
        : string.Create(CultureInfo.InvariantCulture, $"{DirtyMiBPerSecond:0.#}");

    public string ServiceId(string suffix) => (Engine == BenchEngine.Wasm
        ? string.Create(CultureInfo.InvariantCulture, $"svc-w{MemoryMiB}m-{DirtyPagesPerRequest}p{suffix}")
        : string.Create(CultureInfo.InvariantCulture, $"svc-{MemoryMiB}m-{DirtyMiBPerSecond:0.#}d{suffix}")).Replace('.', '_');

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{MemoryMiB} MiB @ {DirtyLabel} MiB/s");
}
