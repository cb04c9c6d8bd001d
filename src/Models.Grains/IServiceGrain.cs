namespace EdgeMigrate.Models.Grains;

/// <summary>A stateful service that follows its users, keyed by service id.</summary>
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>Registers the service; idempotent for the same spec, refused (null) for a different one.</summary>
    Task<ServiceSnapshot?> CreateAsync(ServiceSpec spec);

    [AlwaysInterleave]
    Task<ServiceSnapshot?> GetAsync();

    Task<MigrationRequestOutcome> RequestMigrationAsync(MigrationRequest request);

    /// <summary>Called by the migration saga when it reaches a terminal state or the target runs the service.</summary>
    Task OnMigrationProgressAsync(string migrationId, Contracts.MigrationEventPhase phase, string nodeId);

    Task OnMigrationEndedAsync(string migrationId, MigrationState state);
}
