namespace EdgeMigrate.Testing;

/// <summary>Exit code, captured output and duration of a host command.</summary>
public sealed record HostCommandResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for failure messages.</summary>
    public string Output => StdOut + StdErr;

    /// <summary>A failure message: what ran, how it ended, and both streams.</summary>
    public string Describe(string what) =>
        $"{what} exited {ExitCode} after {Elapsed.TotalSeconds:F1}s\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}
