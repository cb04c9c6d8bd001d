using System.Text.Json.Serialization;

namespace EdgeMigrate.Models.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<NodeCommandKind>))]
public enum NodeCommandKind
{
    /// <summary>Take part in a migration as source or target.</summary>
    [JsonStringEnumMemberName("migrate")] Migrate,

    /// <summary>The target runs the service: the source may now remove its copy.</summary>
    [JsonStringEnumMemberName("commit")] Commit,

    /// <summary>Stop the migration: the target discards what it received, the source resumes.</summary>
    [JsonStringEnumMemberName("abort")] Abort,
}
