
namespace EdgeMigrate.EdgeAgent.Tests.Infrastructure;

/// <summary>Real host components the container tests need. Missing ones fail the test with what to install — never a skip.</summary>
public static class HostTools
{
    public static void RequireContainerTooling()
    {
        var missing = new[] { "runc", "criu", "gcc" }.Where(t => HostCommand.Which(t) is null).ToList();
        if (missing.Count > 0)
        {
            Assert.Fail($"{string.Join(", ", missing)} not found on PATH: run scripts/install-test-deps.sh (as root) to install runc, the CRIU 4.2.1 wrapper and the build tools");
        }

        if (Environment.UserName != "root")
        {
            Assert.Fail("container migration tests run runc and CRIU and must run as root (see scripts/install-test-deps.sh)");
        }
    }
}
