using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

[RegisterConverter]
public sealed class NodeLinkEstimateConverter : IConverter<NodeLinkEstimate, NodeLinkEstimateSurrogate>
{
    public NodeLinkEstimate ConvertFromSurrogate(in NodeLinkEstimateSurrogate surrogate) => new()
    {
        RttMs = surrogate.RttMs,
        Mbps = surrogate.Mbps,
    };

    public NodeLinkEstimateSurrogate ConvertToSurrogate(in NodeLinkEstimate value) => new()
    {
        RttMs = value.RttMs,
        Mbps = value.Mbps,
    };
}
