using System.Text.Json.Serialization;

namespace EdgeMigrate.Models;

[JsonConverter(typeof(JsonStringEnumConverter<MigrationMode>))]
public enum MigrationMode
{
    /// <summary>Iterative copy while running, then a short final pause.</summary>
    [JsonStringEnumMemberName("pre-copy")] PreCopy,

    /// <summary>Freeze, copy everything, restore: the baseline.</summary>
    [JsonStringEnumMemberName("stop-and-copy")] StopAndCopy,

    /// <summary>Restore first, fetch memory pages on demand (CRIU lazy-pages).</summary>
    [JsonStringEnumMemberName("post-copy")] PostCopy,
}
