using EdgeMigrate.Messaging;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Migrations;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeMigrate.Silo.Tests.Contracts;

[Trait("Category", TestCategories.Unit)]
public sealed class MigrationTokenIssuerTests
{
    private static readonly MigrationPlan Plan = new()
    {
        MigrationId = "svc-1-m0001", ServiceId = "svc-1", SourceNodeId = "edge-1", TargetNodeId = "edge-2",
        Mode = MigrationMode.PreCopy, Engine = WorkloadEngine.Container, Workload = "counter", Reason = "test",
    };

    [Fact]
    public void A_token_verifies_until_it_expires_and_names_the_migration()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero));
        var issuer = new MigrationTokenIssuer(SigningKey.LoadOrCreate(Directory.CreateTempSubdirectory().FullName), Options.Create(new MigrationOptions { TokenLifetime = TimeSpan.FromMinutes(10) }), clock);

        var token = issuer.Issue(Plan);
        var claims = issuer.Verify(token);

        Assert.Equal(new MigrationTokenClaims("svc-1-m0001", "svc-1", "edge-1", "edge-2", clock.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds()), claims);
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(issuer.Verify(token));
    }

    [Fact]
    public void A_tampered_token_or_another_silos_key_does_not_verify()
    {
        var options = Options.Create(new MigrationOptions());
        var issuer = new MigrationTokenIssuer(SigningKey.LoadOrCreate(Directory.CreateTempSubdirectory().FullName), options, TimeProvider.System);
        var stranger = new MigrationTokenIssuer(SigningKey.LoadOrCreate(Directory.CreateTempSubdirectory().FullName), options, TimeProvider.System);
        var token = issuer.Issue(Plan);
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{parts[1][..^2]}AA.{parts[2]}";

        Assert.Null(issuer.Verify(tampered));
        Assert.Null(stranger.Verify(token));
        Assert.Null(issuer.Verify("garbage"));
    }

    [Fact]
    public void The_signing_key_survives_a_restart()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;

        Assert.Equal(SigningKey.LoadOrCreate(dir).Bytes, SigningKey.LoadOrCreate(dir).Bytes);
    }

    [Theory]
    [InlineData("mqtt://127.0.0.1:1884", "127.0.0.1", 1884)]
    [InlineData("mqtt://broker.local", "broker.local", 1883)]
    public void Broker_urls_parse(string url, string host, int port)
    {
        Assert.True(MqttBrokerAddress.TryParse(url, out var address, out _));
        Assert.Equal(new MqttBrokerAddress(host, port), address);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:1883")]
    [InlineData("127.0.0.1:1883")]
    [InlineData("mqtt://host:1883/path")]
    public void Bad_broker_urls_are_refused_with_a_reason(string url)
    {
        Assert.False(MqttBrokerAddress.TryParse(url, out _, out var error));
        Assert.Contains(url, error, StringComparison.Ordinal);
    }
}
