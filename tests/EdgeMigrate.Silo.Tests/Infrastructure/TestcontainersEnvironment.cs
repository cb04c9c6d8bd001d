using System.Runtime.CompilerServices;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>
/// No registry is reachable here: the reaper's image cannot be pulled, and containers are reached over
/// loopback. Set before Testcontainers reads its settings.
/// </summary>
public static class TestcontainersEnvironment
{
    [ModuleInitializer]
    public static void Configure()
    {
        SetDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
        SetDefault("TESTCONTAINERS_HOST_OVERRIDE", "localhost");
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
