using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains;

/// <summary>
/// A migration saga, keyed by migration id: requested → precopy → final → restored → committed,
/// or → rolled-back / failed. Persisted at every step; commands go to the agents over MQTT.
/// </summary>
public interface IMigrationGrain : IGrainWithStringKey
{
    Task<MigrationSnapshot> StartAsync(MigrationPlan plan);

    /// <summary>Applies an agent's event; false when the event does not fit (counted, state unchanged).</summary>
    Task<bool> ApplyEventAsync([Immutable] MigrationEventMessage message);

    /// <summary>A participating node's agent went offline. One-way: the caller does not wait.</summary>
    [OneWay]
    Task OnNodeOfflineAsync(string nodeId);

    Task<MigrationSnapshot> AbortAsync(string reason);

    /// <summary>Called by the saga's own timer: rolls back or finishes a phase whose deadline passed.</summary>
    Task CheckDeadlineAsync();

    [AlwaysInterleave]
    Task<MigrationSnapshot?> GetAsync();
}
