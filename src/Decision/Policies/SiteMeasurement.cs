namespace EdgeMigrate.Decision.Policies;

/// <summary>
/// What a device sees of one candidate site: the service latency it would get if its service ran there, and
/// its distance to the site. Sites are dense indexes into the caller's site table (strings would cost a
/// hash per lookup at simulator scale; the silo maps its node ids to indexes once).
/// </summary>
public readonly record struct SiteMeasurement(int Site, double LatencyMs, double DistanceMetres);
