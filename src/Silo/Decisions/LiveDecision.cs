namespace EdgeMigrate.Silo.Decisions;

/// <summary>The outcome of one live policy evaluation: a migration to request, with why.</summary>
public sealed record LiveDecision(string TargetNodeId, string TargetSiteId, string Reason);
