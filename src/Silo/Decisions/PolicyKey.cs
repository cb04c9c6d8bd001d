namespace EdgeMigrate.Silo.Decisions;

/// <summary>Identifies a fleet policy revision, so device state resets when an operator changes the policy.</summary>
public readonly record struct PolicyKey(string FleetId, int Revision);
