namespace EdgeMigrate.Models.Contracts;

/// <summary>An agent's estimate of its link to a peer node.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.NodeLinkEstimate")]
public sealed record NodeLinkEstimate
{
    [Id(0)] public double RttMs { get; init; }
    [Id(1)] public double Mbps { get; init; }
}
