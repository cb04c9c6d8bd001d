using System.ComponentModel.DataAnnotations;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>Time limits of the migration saga. Bound from the "Migrations" configuration section.</summary>
public sealed class MigrationOptions
{
    public const string Section = "Migrations";

    /// <summary>How long the saga waits for the first word from an agent before it rolls back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AcceptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long pre-copy or the final phase may go without progress before the saga rolls back.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan PhaseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the source may take to confirm it removed its copy after the target runs the service.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
