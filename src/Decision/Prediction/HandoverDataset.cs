namespace EdgeMigrate.Decision.Prediction;

/// <summary>What a model is trained or scored on: handover examples (timing, next site) and site-reach examples.</summary>
public sealed record HandoverDataset(IReadOnlyList<HandoverExample> Handovers, IReadOnlyList<SiteReachExample> Reach)
{
    /// <summary>Pools several data sets (e.g. one per simulated run).</summary>
    public static HandoverDataset Concat(IEnumerable<HandoverDataset> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var handovers = new List<HandoverExample>();
        var reach = new List<SiteReachExample>();
        foreach (var part in parts)
        {
            handovers.AddRange(part.Handovers);
            reach.AddRange(part.Reach);
        }

        return new HandoverDataset(handovers, reach);
    }
}
