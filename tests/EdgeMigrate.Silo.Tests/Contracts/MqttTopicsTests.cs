using EdgeMigrate.Models;

namespace EdgeMigrate.Silo.Tests.Contracts;

/// <summary>The topic layout is one table: building and parsing agree for every kind, and nothing else parses.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class MqttTopicsTests
{
    [Fact]
    public void Every_kind_round_trips_through_its_topic()
    {
        foreach (var kind in Enum.GetValues<MqttTopicKind>())
        {
            var topic = MqttTopics.Of(kind, "id-1:x");
            Assert.True(MqttTopics.TryParse(topic, out var route), topic);
            Assert.Equal(new MqttRoute(kind, "id-1:x"), route);
            Assert.Equal(topic, route.Topic);
        }

        Assert.Equal("em/v1/devices/bus-7/telemetry", MqttTopics.Telemetry("bus-7"));
        Assert.Equal("em/v1/nodes/edge-3/commands", MqttTopics.NodeCommands("edge-3"));
        Assert.Equal("em/v1/migrations/+/events", MqttTopics.Filter(MqttTopicKind.MigrationEvents));
    }

    [Theory]
    [InlineData("em/v1/devices/bus-7/status")]      // a leaf of another collection
    [InlineData("em/v1/cars/bus-7/telemetry")]      // no such collection
    [InlineData("em/v2/devices/bus-7/telemetry")]   // another contract version
    [InlineData("em/v1/devices/bus 7/telemetry")]   // an invalid id
    [InlineData("em/v1/devices/telemetry")]
    [InlineData("em/v1/devices/bus-7/telemetry/x")]
    [InlineData("")]
    public void Anything_else_is_not_a_route(string topic) => Assert.False(MqttTopics.TryParse(topic, out _));
}
