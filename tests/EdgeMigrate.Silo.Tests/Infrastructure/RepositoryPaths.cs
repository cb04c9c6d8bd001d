namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>Where the built silo is, in the repository these tests were built from (<see cref="RepositoryLayout"/>).</summary>
public static class RepositoryPaths
{
    /// <summary>The silo built with the same configuration as these tests (bin/Debug or bin/Release).</summary>
    public static string SiloDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(RepositoryLayout.Root, "src", "Silo", "bin", configuration, "net10.0", "edgemigrate-silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The silo is not built at {path}; build the solution first (dotnet build).", path);
        }
    }
}
