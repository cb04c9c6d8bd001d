using System.Text.Json.Serialization;

namespace EdgeMigrate.Models.Contracts;

[JsonConverter(typeof(JsonStringEnumConverter<MigrationEventPhase>))]
public enum MigrationEventPhase
{
    /// <summary>Target: ready to receive. Source: connected to the target.</summary>
    [JsonStringEnumMemberName("accepted")] Accepted,

    /// <summary>Source: a pre-copy round was sent.</summary>
    [JsonStringEnumMemberName("round")] Round,

    /// <summary>Source: frozen, sending the final delta.</summary>
    [JsonStringEnumMemberName("final")] Final,

    /// <summary>Target: the service runs here now.</summary>
    [JsonStringEnumMemberName("restored")] Restored,

    /// <summary>Source: its copy is removed after a commit.</summary>
    [JsonStringEnumMemberName("committed")] Committed,

    /// <summary>Source: resumed after an abort or failure; the service stays here.</summary>
    [JsonStringEnumMemberName("rolled-back")] RolledBack,

    /// <summary>Either side: the migration cannot continue (reason in Error).</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
