namespace EdgeMigrate.Models;

/// <summary>Rules for device, node, service and migration ids: they appear in topics, URLs and file names.</summary>
public static class EntityId
{
    public const int MaxLength = 128;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':') && id[0] != '.';
}
