namespace EdgeMigrate.Simulation.Scenarios;

/// <summary>Policy parameters shared by every policy in a run; same names and meaning as <c>PolicySettings</c>.</summary>
public sealed class PolicySpec
{
    public double HysteresisMs { get; set; } = 5;

    public double TimeToTriggerSeconds { get; set; } = 3;

    public double DistanceThresholdMetres { get; set; } = 200;

    public double SafetyMarginSeconds { get; set; } = 2;

    public double SlaLatencyMs { get; set; } = 30;

    public double MinConfidence { get; set; } = 0.6;

    public double BreachProbability { get; set; } = 0.02;
}
