using System.ComponentModel.DataAnnotations;

namespace EdgeMigrate.Silo.Hosting;

/// <summary>Where the silo listens and keeps its state. Bound from the "Silo" configuration section.</summary>
public sealed class SiloOptions : IValidatableObject
{
    public const string Section = "Silo";

    [Range(0, 65535)]
    public int HttpPort { get; set; } = 8080;

    /// <summary>Address the operator API binds to.</summary>
    [Required]
    public string HttpHost { get; set; } = "0.0.0.0";

    /// <summary>Embedded store (SQLite) lives here; ignored when <see cref="Redis"/> is set.</summary>
    [Required]
    public string DataDir { get; set; } = "data";

    /// <summary>StackExchange.Redis connection string; when set, the silo joins a Redis-backed cluster.</summary>
    public string? Redis { get; set; }

    [Required, RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string ClusterId { get; set; } = "edgemigrate";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The address other silos reach this one on (cluster mode); loopback when all silos share one machine.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Redis is not null && string.IsNullOrWhiteSpace(Redis))
        {
            yield return new ValidationResult("Silo:Redis (--redis) must be a Redis connection string such as 127.0.0.1:6379", [nameof(Redis)]);
        }

        if (!System.Net.IPAddress.TryParse(AdvertisedIp, out _))
        {
            yield return new ValidationResult($"Silo:AdvertisedIp (--advertised-ip) '{AdvertisedIp}' is not an IP address", [nameof(AdvertisedIp)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult($"Silo:SiloPort and Silo:GatewayPort (--silo-port, --gateway-port) must differ; both are {SiloPort}", [nameof(SiloPort), nameof(GatewayPort)]);
        }
    }
}
