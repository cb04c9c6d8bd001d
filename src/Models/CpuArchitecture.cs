using System.Text.Json.Serialization;

namespace EdgeMigrate.Models;

/// <summary>Instruction-set architecture of an edge node. A container checkpoint restores only on the same one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CpuArchitecture>))]
public enum CpuArchitecture
{
    [JsonStringEnumMemberName("x64")] X64,
    [JsonStringEnumMemberName("arm64")] Arm64,
}
