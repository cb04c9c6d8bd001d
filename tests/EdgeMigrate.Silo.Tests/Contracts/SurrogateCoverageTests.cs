using System.Reflection;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Models.Grains.Surrogates;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Contracts;

/// <summary>
/// The wire contract has no Orleans attributes; grains store and pass its types through surrogates. A field added
/// to a contract record must be added to its surrogate too (with the next [Id]), or grains would silently drop it.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class SurrogateCoverageTests
{
    public static TheoryData<Type, Type> Pairs => new()
    {
        { typeof(GeoPoint), typeof(GeoPointSurrogate) },
        { typeof(NodeLinkEstimate), typeof(NodeLinkEstimateSurrogate) },
        { typeof(MigrationLimits), typeof(MigrationLimitsSurrogate) },
        { typeof(TelemetryMessage), typeof(TelemetryMessageSurrogate) },
        { typeof(NodeStatusMessage), typeof(NodeStatusMessageSurrogate) },
        { typeof(MigrationEventMessage), typeof(MigrationEventMessageSurrogate) },
    };

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
}
