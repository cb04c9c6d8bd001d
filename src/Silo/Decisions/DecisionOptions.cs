namespace EdgeMigrate.Silo.Decisions;

/// <summary>Live decisions. Bound from the "Decision" configuration section.</summary>
public sealed class DecisionOptions
{
    public const string Section = "Decision";

    /// <summary>A handover model file (<c>edgemigrate-sim train --out model.zip</c>) loaded at start; optional.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Memory dirtying rate assumed when predicting how long a migration takes (MiB/s).</summary>
    public double AssumedDirtyRateMiBps { get; set; } = 4;

    /// <summary>Link bandwidth assumed between sites whose agents report no estimate (Mbit/s).</summary>
    public double AssumedLinkMbps { get; set; } = 100;
}
