namespace EdgeMigrate.Models.Grains;

/// <summary>Why a migration request was not started.</summary>
public enum MigrationRefusal
{
    /// <summary>The service or a node does not exist.</summary>
    NotFound,

    /// <summary>Another migration of the service is running, or the service is already on the target.</summary>
    Conflict,

    /// <summary>The target cannot run it: offline, wrong architecture for a container, engine missing.</summary>
    Unsuitable,
}
