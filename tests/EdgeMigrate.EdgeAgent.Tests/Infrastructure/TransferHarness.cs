using System.Net;
using EdgeMigrate.EdgeAgent.Mqtt;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.EdgeAgent.Transfer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.Registry;

namespace EdgeMigrate.EdgeAgent.Tests.Infrastructure;

/// <summary>A transfer server on a loopback port chosen by the OS, and senders using the agent's real retry pipeline.</summary>
public sealed class TransferHarness : IAsyncDisposable
{
    private static readonly ILoggerFactory Logs = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
    private readonly ServiceProvider _services;

    private TransferHarness(ServiceProvider services, TransferServer server, string root)
    {
        _services = services;
        Server = server;
        Root = root;
    }

    public TransferServer Server { get; }

    public AgentMetrics Metrics => _services.GetRequiredService<AgentMetrics>();

    public string Root { get; }

    public TransferFaults Faults { get; } = new();

    public string Endpoint => $"127.0.0.1:{Server.BoundEndpoint!.Port}";

    public static TransferHarness Start()
    {
        var services = new ServiceCollection().AddMetrics().AddAgentPipelines().AddSingleton<AgentMetrics>().BuildServiceProvider();
        var server = new TransferServer(new IPEndPoint(IPAddress.Loopback, 0), services.GetRequiredService<AgentMetrics>(), Logs.CreateLogger<TransferServer>());
        server.Start();
        return new TransferHarness(services, server, Directory.CreateTempSubdirectory("em-transfer-").FullName);
    }

    public ReceiverSession Expect(string migrationId, string token, ReceiverCallbacks? callbacks = null)
    {
        var session = new ReceiverSession(migrationId, "svc-1", token, Path.Combine(Root, "target", migrationId), callbacks ?? new ReceiverCallbacks(), TimeProvider.System, Logs.CreateLogger<ReceiverSession>());
        Server.Expect(session);
        return session;
    }

    public TransferSender Sender(string migrationId, string token, TransferTimeouts? timeouts = null) => new(
        Endpoint,
        new HelloMessage(migrationId, "svc-1", token, "node-a", "wl"),
        _services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(AgentPipelines.Transfer),
        Faults,
        timeouts ?? new TransferTimeouts(),
        TimeProvider.System,
        Logs.CreateLogger<TransferSender>());

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
