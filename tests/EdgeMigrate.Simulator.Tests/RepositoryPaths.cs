namespace EdgeMigrate.Simulator.Tests;

/// <summary>The simulator tests' inputs, found from the repository root (<see cref="RepositoryLayout"/>).</summary>
internal static class RepositoryPaths
{
    public static string Root => RepositoryLayout.Root;

    /// <summary>The real Staten Island feed (data/gtfs/); a missing feed fails the test (never skips) so CI cannot go green without it.</summary>
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
