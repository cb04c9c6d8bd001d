namespace EdgeMigrate.Testing;

/// <summary>Exit code and captured output of a host command.</summary>
public sealed record HostCommandResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for failure messages.</summary>
    public string Output => StdOut + StdErr;
}
