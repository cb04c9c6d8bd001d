using System.Text.Json.Serialization;

namespace EdgeMigrate.Models;

/// <summary>States of the migration saga. Terminal: <see cref="Committed"/>, <see cref="RolledBack"/>, <see cref="Failed"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MigrationState>))]
public enum MigrationState
{
    [JsonStringEnumMemberName("requested")] Requested,
    [JsonStringEnumMemberName("precopy")] PreCopy,
    [JsonStringEnumMemberName("final")] Final,
    [JsonStringEnumMemberName("restored")] Restored,
    [JsonStringEnumMemberName("committed")] Committed,
    [JsonStringEnumMemberName("rolled-back")] RolledBack,
    [JsonStringEnumMemberName("failed")] Failed,
}
