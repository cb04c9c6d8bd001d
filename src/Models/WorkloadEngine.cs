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

    /// <summary>
    /// A container that containerd runs (namespace k8s.io, as on a K3s node), checkpointed with CRIU through runc on
    /// containerd's runc root and restored by the target's containerd (CRI): same architecture only.
    /// </summary>
    [JsonStringEnumMemberName("containerd")] Containerd,
}
