using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>How grains store and pass <see cref="NodeLinkEstimate"/> (the ids are those it was persisted with: never renumber).</summary>
[GenerateSerializer, Alias("EdgeMigrate.Surrogates.NodeLinkEstimate")]
public record struct NodeLinkEstimateSurrogate
{
    [Id(0)] public double RttMs;
    [Id(1)] public double Mbps;
}
