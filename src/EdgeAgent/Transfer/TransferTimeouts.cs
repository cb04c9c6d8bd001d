namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>How long the link may stall before a connection is declared broken (and resumed).</summary>
public sealed record TransferTimeouts
{
    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>One frame write that does not finish in this time means the link is gone (a cut link never errors by itself).</summary>
    public TimeSpan WriteStall { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RoundAck { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>From the final round's end to the target's "restored": includes verification and the restore.</summary>
    public TimeSpan Restore { get; init; } = TimeSpan.FromSeconds(120);
}
