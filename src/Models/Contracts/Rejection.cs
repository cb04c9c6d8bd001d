namespace EdgeMigrate.Models.Contracts;

/// <summary>A refused payload: the counted reason and a human-readable detail naming the field.</summary>
public sealed record Rejection(RejectionReason Reason, string Detail)
{
    public override string ToString() => $"{Reason.ToWireName()}: {Detail}";
}
