using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>
/// Containers from the images scripts/install-test-deps.sh builds locally (debootstrap'd Debian 12 with
/// mosquitto / redis-server). Never pulled: a missing image fails with the command that builds it.
/// </summary>
public static class LocalImages
{
    public const string Mosquitto = "edgemigrate/mosquitto:test";
    public const string Redis = "edgemigrate/redis:test";

    public static IContainer MosquittoContainer() => new ContainerBuilder(Mosquitto)
        .WithImagePullPolicy(PullPolicy.Never)
        .WithPortBinding(1883, assignRandomHostPort: true)
        .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(1883))
        .Build();

    /// <summary>Redis with append-only persistence, as the image's command sets it.</summary>
    public static IContainer RedisContainer() => new ContainerBuilder(Redis)
        .WithImagePullPolicy(PullPolicy.Never)
        .WithPortBinding(6379, assignRandomHostPort: true)
        .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted("redis-cli", "ping"))
        .Build();

    public static async Task StartAsync(IContainer container, CancellationToken cancellationToken)
    {
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"Could not start a container from {container.Image.FullName}: {ex.Message}. These tests need dockerd running and the local images built: run scripts/install-test-deps.sh.", ex);
        }
    }
}
