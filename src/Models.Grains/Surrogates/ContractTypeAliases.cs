using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Geo;
using Orleans.Serialization.Configuration;

[assembly: TypeManifestProvider(typeof(EdgeMigrate.Models.Grains.Surrogates.ContractTypeAliases))]

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>
/// The names the wire-contract types had when they carried their own Orleans attributes. Stored grain state writes
/// them inside type names (e.g. <c>Dictionary`2[[string],[EdgeMigrate.NodeLinkEstimate]]</c> in a node's links),
/// so they must keep resolving, and new state keeps writing them.
/// </summary>
public sealed class ContractTypeAliases : TypeManifestProviderBase
{
    public override object Key => typeof(ContractTypeAliases);

    protected override void ConfigureInner(TypeManifestOptions options)
    {
        options.WellKnownTypeAliases["EdgeMigrate.GeoPoint"] = typeof(GeoPoint);
        options.WellKnownTypeAliases["EdgeMigrate.NodeLinkEstimate"] = typeof(NodeLinkEstimate);
        options.WellKnownTypeAliases["EdgeMigrate.MigrationLimits"] = typeof(MigrationLimits);
        options.WellKnownTypeAliases["EdgeMigrate.TelemetryMessage"] = typeof(TelemetryMessage);
        options.WellKnownTypeAliases["EdgeMigrate.NodeStatusMessage"] = typeof(NodeStatusMessage);
        options.WellKnownTypeAliases["EdgeMigrate.MigrationEventMessage"] = typeof(MigrationEventMessage);
    }
}
