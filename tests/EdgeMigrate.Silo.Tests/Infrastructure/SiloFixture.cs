namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>One embedded-broker silo shared by a test class; tests use their own device/node ids.</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    private TestSilo? _silo;

    public TestSilo Silo => _silo ?? throw new InvalidOperationException("the silo did not start");

    public async ValueTask InitializeAsync() => _silo = await TestSilo.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}
