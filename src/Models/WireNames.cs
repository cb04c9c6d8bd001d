namespace EdgeMigrate.Models;

/// <summary>The contract's names of its enum values (as in JSON), for messages and logs.</summary>
public static class WireNames
{
    public static string ToWireName(this WorkloadEngine engine) => engine switch
    {
        WorkloadEngine.Container => "container",
        WorkloadEngine.Wasm => "wasm",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    public static string ToWireName(this MigrationMode mode) => mode switch
    {
        MigrationMode.PreCopy => "pre-copy",
        MigrationMode.StopAndCopy => "stop-and-copy",
        MigrationMode.PostCopy => "post-copy",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
