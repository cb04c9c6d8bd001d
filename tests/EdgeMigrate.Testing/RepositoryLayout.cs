namespace EdgeMigrate.Testing;

/// <summary>The checkout a test or benchmark build came from.</summary>
public static class RepositoryLayout
{
    /// <summary>The folder holding EdgeMigrate.sln, found above the build output (or, for `dotnet run`, the working directory).</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeMigrate.sln")) || File.Exists(Path.Combine(dir.FullName, "EdgeMigrate.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"no EdgeMigrate.sln above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}
