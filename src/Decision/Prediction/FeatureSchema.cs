using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.Data;

namespace EdgeMigrate.Decision.Prediction;

/// <summary>The feature layout of <see cref="HandoverFeatures"/>, read once from its column attributes.</summary>
internal static class FeatureSchema
{
    /// <summary>Bumped when feature extraction changes meaning without changing names (e.g. a new slope window).</summary>
    public const int ExtractionVersion = 2;

    public static IReadOnlyList<string> Names { get; } = [.. typeof(HandoverFeatures)
        .GetFields(BindingFlags.Public | BindingFlags.Instance)
        .Where(f => f.FieldType == typeof(float) && f.GetCustomAttribute<LoadColumnAttribute>() is not null)
        .OrderBy(f => f.MetadataToken) // declaration order, which is also the LoadColumn order (a unit test checks CopyTo against it)
        .Select(f => f.Name)];

    public static string Hash { get; } = Compute();

    private static string Compute()
    {
        var text = $"extraction={ExtractionVersion};ranks={HandoverFeatures.CandidateRanks};features={string.Join(',', Names)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
