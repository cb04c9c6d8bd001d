using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Api;

/// <summary>Lists one kind of entity: the ids from its catalog grain, then each entity's snapshot (ones that vanished are left out).</summary>
public static class CatalogListing
{
    public static async Task<List<T>> ListAsync<T>(IGrainFactory grains, string kind, Func<string, Task<T?>> get)
        where T : class
    {
        var ids = await grains.GetGrain<ICatalogGrain>(kind).ListAsync();
        var items = await Task.WhenAll(ids.Select(get));
        return [.. items.OfType<T>()];
    }
}
