using EdgeMigrate.Silo.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// Wraps the silo's grain storage (the real SQLite store) and reports a device's sequence number the moment
/// the write that contains it has committed: the end of "publish → persisted state" without polling.
/// It changes nothing the silo does; it only looks at state the store has already written.
/// </summary>
public sealed class PersistedStateProbe(IGrainStorage inner, Action<long> persisted) : IGrainStorage, IDisposable
{
    /// <summary>Replaces the keyed storage registration <paramref name="storageName"/> with a probe around it.</summary>
    public static void Install(IServiceCollection services, string storageName, Action<long> persisted)
    {
        var registration = services.Single(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, storageName));
        var factory = registration.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"grain storage '{storageName}' is not registered through a factory; the probe cannot wrap it");
        services.Remove(registration);
        services.AddKeyedSingleton<IGrainStorage>(storageName, (sp, key) => new PersistedStateProbe((IGrainStorage)factory(sp, key), persisted));
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (grainState.State is DeviceState { Snapshot.LastSequence: { } sequence })
        {
            persisted(sequence);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
