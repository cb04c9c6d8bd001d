using System.Text;
using EdgeMigrate.Models;
using EdgeMigrate.Silo.Metrics;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Ingestion;

/// <summary>Thousands of hostile payloads through the real broker: no crash, each one counted as rejected, no state.</summary>
[Trait("Category", TestCategories.Mqtt)]
public sealed class MalformedPayloadFuzzTests
{
    private const int Count = 3000;

    [Fact]
    public async Task Thousands_of_malformed_payloads_are_all_rejected_and_counted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await TestSilo.StartAsync(cancellationToken: ct);
        await using var client = await TestMqttClient.ConnectAsync(silo.MqttPort, "fuzzer", cancellationToken: ct);
        var random = new Random(20261125);

        for (var i = 0; i < Count; i++)
        {
            var (topic, payload) = Hostile(random, i);
            await client.PublishAsync(topic, payload, cancellationToken: ct);
        }

        var stats = await Eventually.GetAsync(() => silo.GetAsync<IngestionStatistics>("/api/stats", ct), s => s.Rejected + s.Accepted + s.Failed >= Count, $"all {Count} payloads to be processed", cancellationToken: ct);
        Assert.Equal(Count, stats.Rejected);
        Assert.Equal(0, stats.Accepted);
        Assert.Equal(0, stats.Failed);
        Assert.Empty(await silo.GetAsync<List<string>>("/api/devices", ct));
        Assert.Empty(await silo.GetAsync<List<object>>("/api/nodes", ct));
        Assert.Equal("Healthy", await silo.Http.GetStringAsync("/healthz", ct));
    }

    /// <summary>A deterministic mix of broken bytes, broken JSON, wrong types, wrong versions, bad ranges and id games.</summary>
    private static (string Topic, byte[] Payload) Hostile(Random random, int i)
    {
        var device = $"fuzz-{i % 97}";
        var topic = (i % 3) switch
        {
            0 => MqttTopics.Telemetry(device),
            1 => MqttTopics.NodeStatus(device),
            _ => MqttTopics.MigrationEvents(device),
        };
        var valid = Payloads.TelemetryJson(device, sequence: i);
        string json = (i % 12) switch
        {
            0 => valid[..random.Next(0, valid.Length - 1)],
            1 => valid.Replace("\"lat\":40.6431", "\"lat\":" + (90 + random.Next(1, 1000)), StringComparison.Ordinal),
            2 => valid.Replace("\"schemaVersion\":1", "\"schemaVersion\":" + random.Next(2, 99), StringComparison.Ordinal),
            3 => valid.Replace("\"deviceId\":\"" + device + "\"", "\"deviceId\":\"other-" + i + "\"", StringComparison.Ordinal),
            4 => valid.Replace("\"lon\":-74.0741", "\"lon\":\"west\"", StringComparison.Ordinal),
            5 => valid.Replace("\"schemaVersion\":1,", string.Empty, StringComparison.Ordinal),
            6 => "[" + valid + "]",
            7 => valid.Replace("\"speedMps\":8.4", "\"speedMps\":-" + random.Next(1, 50), StringComparison.Ordinal),
            8 => "{\"schemaVersion\":1,\"blob\":\"" + new string('z', 17_000 + random.Next(0, 5000)) + "\"}",
            9 => new string('{', random.Next(20, 200)),
            10 => valid.Replace("\"timestamp\":\"", "\"timestamp\":\"not-a-time", StringComparison.Ordinal),
            _ => string.Empty,
        };
        if (i % 12 == 11)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            return (topic, bytes);
        }

        return (topic, Encoding.UTF8.GetBytes(json));
    }
}
