using System.Security.Cryptography;

namespace EdgeMigrate.Silo.Migrations;

/// <summary>
/// The silo's HMAC key for migration tokens, kept in <c>{data-dir}/signing.key</c> (created on first start)
/// so tokens stay valid across restarts; silos of one cluster share it by sharing that file.
/// </summary>
public sealed class SigningKey
{
    private SigningKey(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public static SigningKey LoadOrCreate(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, "signing.key");
        if (File.Exists(path))
        {
            var existing = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (existing.Length < 32)
            {
                throw new InvalidOperationException($"{path} holds a key of {existing.Length} bytes; at least 32 are required. Delete it to create a new one.");
            }

            return new SigningKey(existing);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var temp = path + ".tmp";
        File.WriteAllText(temp, Convert.ToBase64String(key));
        File.Move(temp, path, overwrite: false);
        return new SigningKey(key);
    }
}
