namespace EdgeMigrate.Testing;

/// <summary>Trait values of every test group (docs/testing.md): run one with <c>dotnet test EdgeMigrate.sln --filter Category=Mqtt</c>.</summary>
public static class TestCategories
{
    /// <summary>No real component: runs in seconds.</summary>
    public const string Unit = "Unit";

    /// <summary>Ingestion through the embedded MQTT broker.</summary>
    public const string Mqtt = "Mqtt";

    /// <summary>The migration saga through the API with scripted agents on the broker.</summary>
    public const string Saga = "Saga";

    /// <summary>State across a silo restart, and state written by earlier silos.</summary>
    public const string Persistence = "Persistence";

    /// <summary>The silo on an external Mosquitto (Testcontainers, local image).</summary>
    public const string Mosquitto = "Mosquitto";

    /// <summary>Two silo processes on Redis clustering and grain state.</summary>
    public const string Cluster = "Cluster";

    /// <summary>The simulator on the Staten Island GTFS feed.</summary>
    public const string Gtfs = "Gtfs";

    /// <summary>ML.NET training and prediction.</summary>
    public const string Ml = "Ml";

    /// <summary>The agent ⇄ agent transfer protocol on loopback.</summary>
    public const string Transfer = "Transfer";

    /// <summary>Needs runc + CRIU (scripts/install-test-deps.sh); runs real containers.</summary>
    public const string Container = "Container";

    /// <summary>Needs root, runc + CRIU and iproute2: agents as child processes in network namespaces joined by a tbf link.</summary>
    public const string Netns = "Netns";

    /// <summary>The WebAssembly engine (clang-14/wasi-libc, Wasmtime).</summary>
    public const string Wasm = "Wasm";

    /// <summary>The wasm tool published for linux-arm64, under qemu.</summary>
    public const string Arm64 = "Arm64";

    /// <summary>A wasm service moved x86-64 → arm64 agent (qemu) → x86-64 through the silo.</summary>
    public const string CrossIsa = "CrossIsa";
}
