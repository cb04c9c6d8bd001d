namespace EdgeMigrate.Models.Contracts;

public static class ContractVersion
{
    /// <summary>The schema version every v1 payload carries.</summary>
    public const int Current = 1;
}
