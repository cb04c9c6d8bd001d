using System.Reflection;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains.Surrogates;

namespace EdgeMigrate.Silo.Tests.Contracts;

/// <summary>
/// The wire contract has no Orleans attributes; grains store and pass its types through surrogates. A field added
/// to a contract record must be added to its surrogate too (with the next [Id]), or grains would silently drop it.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SurrogateCoverageTests
{
    /// <summary>Every (contract type, surrogate) pair, found from the registered converters.</summary>
    public static TheoryData<Type, Type> Pairs => new(Converted().Select(p => (p.Contract, p.Surrogate)));

    [Fact]
    public void Every_contract_type_grains_store_or_pass_has_a_surrogate() =>
        Assert.Equal(
            [typeof(GeoPoint), typeof(MigrationEventMessage), typeof(MigrationLimits), typeof(NodeLinkEstimate), typeof(NodeStatusMessage), typeof(TelemetryMessage)],
            Converted().Select(p => p.Contract).OrderBy(t => t.Name, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_settable_property_of_a_contract_type_has_a_surrogate_field_with_an_id(Type contract, Type surrogate)
    {
        var properties = contract.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).Select(p => (p.Name, p.PropertyType)).Order().ToList();
        var fields = surrogate.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => (f.Name, f.FieldType)).Order().ToList();

        Assert.Equal(properties, fields);
        var ids = surrogate.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.GetCustomAttribute<IdAttribute>()?.Id).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static List<(Type Contract, Type Surrogate)> Converted() =>
        [.. typeof(ContractTypeAliases).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<RegisterConverterAttribute>() is not null)
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConverter<,>))
            .Select(i => (i.GetGenericArguments()[0], i.GetGenericArguments()[1]))];
}
