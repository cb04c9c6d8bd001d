using System.Text.Json.Serialization;

namespace EdgeMigrate.Models;

/// <summary>How a service runs on a node, and so how it can move.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkloadEngine>))]
public enum WorkloadEngine
{
    /// <summary>OCI container under runc, migrated with CRIU: same architecture only.</summary>
    [JsonStringEnumMemberName("container")] Container,

    /// <summary>WebAssembly module on Wasmtime, migrated by heterogeneous restore: any architecture.</summary>
    [JsonStringEnumMemberName("wasm")] Wasm,
}
