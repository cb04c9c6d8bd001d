namespace EdgeMigrate.Silo.Migrations;

/// <summary>What a migration token grants: this migration of this service, from source to target, until Exp (unix seconds).</summary>
public sealed record MigrationTokenClaims(string Mig, string Svc, string Src, string Dst, long Exp);
