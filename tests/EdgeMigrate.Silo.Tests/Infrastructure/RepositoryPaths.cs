namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>Where the repository and the built silo are, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The silo built with the same configuration as these tests (bin/Debug or bin/Release).</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(Root, "src", "Silo", "bin", configuration, "net10.0", "edgemigrate-silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The silo is not built at {path}; build the solution first (dotnet build).", path);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeMigrate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EdgeMigrate.sln not found above {AppContext.BaseDirectory}");
    }
}
