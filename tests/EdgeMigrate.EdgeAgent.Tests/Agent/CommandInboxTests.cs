using System.Collections.Concurrent;
using System.Text.Json;
using EdgeMigrate.EdgeAgent.Commands;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Mqtt;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeMigrate.EdgeAgent.Tests.Agent;

/// <summary>
/// Every command goes through one door: this node's topic, strict parsing, the registered checks, then the handler of
/// its kind. Refusals are counted; an unusable migrate command is answered with a "failed" event at once.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class CommandInboxTests : IDisposable
{
    private readonly RecordingEvents _events = new();
    private readonly string _root = Directory.CreateTempSubdirectory("em-inbox-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Commands_for_another_node_or_malformed_or_with_a_bad_id_are_refused_and_counted()
    {
        using var host = Build();
        var inbox = host.Services.GetRequiredService<CommandInbox>();
        var metrics = host.Services.GetRequiredService<AgentMetrics>();

        await inbox.ReceiveAsync(Received(MqttTopics.NodeCommands("someone-else"), Migrate("m-1", MigrationMode.PreCopy)));
        await inbox.ReceiveAsync(new ReceivedCommand(MqttTopics.NodeCommands("n1"), "{\"schemaVersion\":1,"u8.ToArray(), []));
        await inbox.ReceiveAsync(Received(MqttTopics.NodeCommands("n1"), Migrate("../../etc", MigrationMode.PreCopy)));

        Assert.Equal(2, metrics.Total("commands.rejected"));
        Assert.Equal(1, metrics.Total("commands.rejected/malformed-json"));
        Assert.Equal(1, metrics.Total("commands.rejected/invalid-id"));
        Assert.Empty(_events.Published);
        Assert.Equal(0, host.Services.GetRequiredService<RunningMigrations>().Count);
    }

    [Fact]
    public async Task A_mode_the_engine_does_not_implement_is_answered_with_failed_at_once()
    {
        using var host = Build();
        var inbox = host.Services.GetRequiredService<CommandInbox>();

        await inbox.ReceiveAsync(Received(MqttTopics.NodeCommands("n1"), Migrate("m-2", MigrationMode.PostCopy)));

        var failed = Assert.Single(_events.Published);
        Assert.Equal((MigrationEventPhase.Failed, "m-2"), (failed.Phase, failed.MigrationId));
        Assert.Equal("post-copy is not implemented by this agent's container engine (pre-copy or stop-and-copy)", failed.Error);
        Assert.Equal(1, host.Services.GetRequiredService<AgentMetrics>().Total("commands.rejected/unusable-command"));
        Assert.Equal(0, host.Services.GetRequiredService<RunningMigrations>().Count);
    }

    [Fact]
    public async Task A_registered_check_sees_every_command_before_any_handler()
    {
        using var host = Build(services => services.AddCommandCheck<RefuseUnsigned>());
        var inbox = host.Services.GetRequiredService<CommandInbox>();

        await inbox.ReceiveAsync(Received(MqttTopics.NodeCommands("n1"), Migrate("m-3", MigrationMode.PostCopy)));
        await inbox.ReceiveAsync(Received(MqttTopics.NodeCommands("n1"), Migrate("m-4", MigrationMode.PostCopy), signed: true));

        Assert.Equal(1, host.Services.GetRequiredService<AgentMetrics>().Total("commands.rejected/unsigned"));
        Assert.Equal(["m-4"], _events.Published.Select(e => e.MigrationId)); // only the signed one reached its handler
    }

    [Fact]
    public void Two_handlers_for_one_command_kind_stop_the_agent()
    {
        using var host = Build(services => services.AddCommandHandler<MigrateCommandHandler>());

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<CommandInbox>());

        Assert.Contains("two command handlers for Migrate", error.Message, StringComparison.Ordinal);
    }

    private IHost Build(Action<IServiceCollection>? configure = null) => AgentApplication.Build(
        new Dictionary<string, string?>
        {
            ["Agent:NodeId"] = "n1",
            ["Agent:MqttUrl"] = "mqtt://127.0.0.1:1",
            ["Agent:RuncRoot"] = Path.Combine(_root, "runc"),
            ["Agent:WorkDir"] = Path.Combine(_root, "work"),
        },
        builder =>
        {
            builder.Services.AddSingleton<IMigrationEventSink>(_events);
            configure?.Invoke(builder.Services);
        });

    private static NodeCommandMessage Migrate(string migrationId, MigrationMode mode) => new()
    {
        SchemaVersion = ContractVersion.Current,
        Kind = NodeCommandKind.Migrate,
        MigrationId = migrationId,
        Timestamp = TimeProvider.System.GetUtcNow(),
        Role = MigrationRole.Source,
        ServiceId = "svc-1",
        Engine = WorkloadEngine.Container,
        Mode = mode,
        PeerNodeId = "n2",
        PeerEndpoint = "127.0.0.1:7701",
        Token = "token",
    };

    private static ReceivedCommand Received(string topic, NodeCommandMessage command, bool signed = false) => new(
        topic,
        JsonSerializer.SerializeToUtf8Bytes(command, ContractJsonContext.Default.NodeCommandMessage),
        signed ? [new MQTTnet.Packets.MqttUserProperty("signature", "test"u8.ToArray().AsMemory())] : []);

    private sealed class RefuseUnsigned : ICommandCheck
    {
        public CommandRefusal? Check(NodeCommandMessage command, ReceivedCommand received) =>
            received.UserProperties.Any(p => p.Name == "signature") ? null : new CommandRefusal("unsigned", $"{command.MigrationId} carries no signature");
    }

    private sealed class RecordingEvents : IMigrationEventSink
    {
        private readonly ConcurrentQueue<MigrationEventMessage> _published = new();

        public IReadOnlyList<MigrationEventMessage> Published => [.. _published];

        public Task PublishAsync(MigrationEventMessage message, CancellationToken cancellationToken)
        {
            _published.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
