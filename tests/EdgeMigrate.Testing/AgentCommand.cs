namespace EdgeMigrate.Testing;

/// <summary>How to run an edgemigrate-agent: the program, the arguments before the agent's own, extra environment.</summary>
public sealed record AgentCommand(string FileName, IReadOnlyList<string> Prefix, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// dotnet + the agent's build of the same configuration as the calling assembly
    /// (src/EdgeAgent/bin/{Configuration}/{tfm}/edgemigrate-agent.dll); EDGEMIGRATE_AGENT_DLL overrides.
    /// </summary>
    public static AgentCommand Built()
    {
        var dotnet = HostCommand.Which("dotnet") ?? throw new InvalidOperationException("dotnet not on PATH");
        var dll = System.Environment.GetEnvironmentVariable("EDGEMIGRATE_AGENT_DLL");
        if (string.IsNullOrEmpty(dll))
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory); // bin/{Configuration}/{tfm}/
            dll = Path.Combine(RepositoryLayout.Root, "src", "EdgeAgent", "bin", output.Parent?.Name ?? "Debug", output.Name, "edgemigrate-agent.dll");
        }

        return File.Exists(dll)
            ? new AgentCommand(dotnet, [dll], new Dictionary<string, string>())
            : throw new InvalidOperationException($"{dll} missing: build src/EdgeAgent (the test and bench builds do) or set EDGEMIGRATE_AGENT_DLL");
    }
}
