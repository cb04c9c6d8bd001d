namespace EdgeMigrate.Models.Contracts;

/// <summary>An agent's estimate of its link to a peer node.</summary>
public sealed record NodeLinkEstimate
{
    public double RttMs { get; init; }
    public double Mbps { get; init; }
}
