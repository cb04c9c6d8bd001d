namespace EdgeMigrate.Models.Grains;

/// <summary>The ids of one kind of entity (<see cref="CatalogKind"/>), so they can be listed.</summary>
public interface ICatalogGrain : IGrainWithStringKey
{
    Task AddAsync(string id);

    [AlwaysInterleave]
    Task<IReadOnlyList<string>> ListAsync();
}
