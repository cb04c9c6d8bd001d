using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Ingestion;
using EdgeMigrate.Silo.Mqtt;
using EdgeMigrate.Silo.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeMigrate.Silo.Tests.Ingestion;

/// <summary>
/// One handler per inbound kind, registered once: the subscriptions follow the handlers, a topic of no handled kind is
/// refused at the door and counted, and each message reaches only the handler of its kind.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class InboundRoutingTests
{
    [Fact]
    public async Task A_message_reaches_only_the_handler_of_its_kind_and_unknown_kinds_are_counted()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton(TimeProvider.System).AddSingleton<IngestionMetrics>().BuildServiceProvider();
        var metrics = services.GetRequiredService<IngestionMetrics>();
        var status = new RecordingHandler(MqttTopicKind.NodeStatus, "node-status", null);
        var events = new RecordingHandler(MqttTopicKind.MigrationEvents, "migration-event", new Rejection(RejectionReason.OutOfSequence, "late"));
        var router = new InboundRouter([status, events], metrics, NullLogger<InboundRouter>.Instance);

        Assert.Equal([MqttTopicKind.NodeStatus, MqttTopicKind.MigrationEvents], router.Kinds);
        Assert.True(router.TryRoute("em/v1/nodes/edge-1/status", out var route));
        await router.ProcessAsync(new InboundMessage(route, new byte[] { 1 }, [], _ => Task.CompletedTask));
        Assert.True(router.TryRoute("em/v1/migrations/m-1/events", out route));
        await router.ProcessAsync(new InboundMessage(route, new byte[] { 2 }, [], _ => Task.CompletedTask));
        Assert.False(router.TryRoute("em/v1/devices/bus-1/telemetry", out _)); // a contract topic, but no handler here
        Assert.False(router.TryRoute("em/v1/gadgets/g-1/telemetry", out _));

        Assert.Equal(["edge-1"], status.Seen.Select(m => m.Route.Id));
        Assert.Equal(["m-1"], events.Seen.Select(m => m.Route.Id));
        var stats = metrics.Snapshot("test");
        Assert.Equal(1, stats.AcceptedByKind["node-status"]);
        Assert.Equal(1, stats.RejectedByKind["migration-event"]);
        Assert.Equal(2, stats.RejectedByKind[IngestionMetrics.UnknownKind]);
        Assert.Equal(2, stats.RejectedByReason["unknown-topic"]);
    }

    [Fact]
    public void Two_handlers_for_one_kind_stop_the_silo_at_start_up()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton(TimeProvider.System).AddSingleton<IngestionMetrics>().BuildServiceProvider();
        var twice = () => new InboundRouter(
            [new RecordingHandler(MqttTopicKind.Telemetry, "telemetry", null), new RecordingHandler(MqttTopicKind.Telemetry, "telemetry-2", null)],
            services.GetRequiredService<IngestionMetrics>(),
            NullLogger<InboundRouter>.Instance);

        Assert.Contains("two inbound handlers for Telemetry", Assert.Throws<InvalidOperationException>(twice).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_silo_subscribes_to_the_kinds_it_has_handlers_for()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddEdgeMigrateMqtt(embeddedBroker: true);
        builder.Services.AddSingleton(System.Reflection.DispatchProxy.Create<IGrainFactory, NoGrains>());
        builder.Services.AddMetrics().AddSingleton(TimeProvider.System).AddSingleton<IngestionMetrics>();
        using var app = builder.Build();

        var bridge = app.Services.GetRequiredService<MqttBridge>();

        Assert.Equal(["em/v1/devices/+/telemetry", "em/v1/nodes/+/status", "em/v1/migrations/+/events"], bridge.TopicFilters);
    }

    /// <summary>The handlers need a grain factory to be built; this test never calls one.</summary>
    public class NoGrains : System.Reflection.DispatchProxy
    {
        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) => throw new InvalidOperationException("no grains in this test");
    }

    private sealed class RecordingHandler(MqttTopicKind topic, string name, Rejection? answer) : IInboundHandler
    {
        public List<InboundMessage> Seen { get; } = [];

        public MqttTopicKind Topic => topic;

        public string Name => name;

        public Task<Rejection?> HandleAsync(InboundMessage message)
        {
            Seen.Add(message);
            return Task.FromResult(answer);
        }
    }
}
