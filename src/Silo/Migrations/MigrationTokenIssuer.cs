using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeMigrate.Models.Grains;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>
/// Signs a token that authorises one migration between two named agents until it expires:
/// <c>v1.{claims}.{hmac-sha256}</c>, both base64url. The key is the silo's (see <see cref="SigningKey"/>).
/// </summary>
public sealed class MigrationTokenIssuer(SigningKey key, IOptions<MigrationOptions> options, TimeProvider timeProvider)
{
    public string Issue(MigrationPlan plan)
    {
        var claims = new MigrationTokenClaims(plan.MigrationId, plan.ServiceId, plan.SourceNodeId, plan.TargetNodeId,
            timeProvider.GetUtcNow().Add(options.Value.TokenLifetime).ToUnixTimeSeconds());
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims, MigrationTokenJsonContext.Default.MigrationTokenClaims));
        return $"v1.{body}.{Base64Url(HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes(body)))}";
    }

    /// <summary>The claims of a token this silo (or one sharing its key) signed and that has not expired; otherwise null.</summary>
    public MigrationTokenClaims? Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != "v1")
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key.Bytes, Encoding.ASCII.GetBytes(parts[1]));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(FromBase64Url(parts[2]));
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return null;
        }

        var claims = JsonSerializer.Deserialize(Convert.FromBase64String(FromBase64Url(parts[1])), MigrationTokenJsonContext.Default.MigrationTokenClaims);
        return claims is not null && claims.Exp > timeProvider.GetUtcNow().ToUnixTimeSeconds() ? claims : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
