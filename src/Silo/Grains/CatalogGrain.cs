using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Persistence;

namespace EdgeMigrate.Silo.Grains;

/// <summary>The ids of one kind of entity. Written once per new id, so it is no hot spot for telemetry.</summary>
public sealed class CatalogGrain([PersistentState("catalog", StorageNames.Default)] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    public async Task AddAsync(string id)
    {
        if (state.State.Ids.Add(id))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Ids.ToArray());
}
