using System.Collections.Frozen;

namespace EdgeMigrate.Hosting;

/// <summary>Registrations that must be unique per key (one inbound handler per topic kind, one command handler per kind, one engine per engine kind).</summary>
public static class OnePerKey
{
    /// <summary>Indexes <paramref name="items"/> by key; a second item for a key stops the process at start-up, naming both.</summary>
    public static FrozenDictionary<TKey, T> Index<TKey, T>(IEnumerable<T> items, Func<T, TKey> keyOf, string what)
        where TKey : notnull
        where T : notnull
    {
        var byKey = new Dictionary<TKey, T>();
        foreach (var item in items)
        {
            var key = keyOf(item);
            if (!byKey.TryAdd(key, item))
            {
                throw new InvalidOperationException($"two {what} for {key}: {byKey[key].GetType().Name} and {item.GetType().Name}");
            }
        }

        return byKey.ToFrozenDictionary();
    }
}
