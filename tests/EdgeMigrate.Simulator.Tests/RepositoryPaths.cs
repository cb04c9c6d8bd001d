namespace EdgeMigrate.Simulator.Tests;

/// <summary>Finds inputs relative to the repository, wherever the test binaries run from.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "EdgeMigrate.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"EdgeMigrate.sln not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The real Staten Island feed; a missing feed fails the test (never skips) so CI cannot go green without it.</summary>
    public static string StatenIslandFeed
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "data", "gtfs", "staten-island-weekday-am.zip"));
            Assert.True(File.Exists(path), $"GTFS feed missing: expected {path} (the sample feed the repository carries in data/gtfs/)");
            return path;
        }
    }
}
