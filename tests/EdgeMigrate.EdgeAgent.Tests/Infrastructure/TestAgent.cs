using EdgeMigrate.EdgeAgent.Engines.Container;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Mqtt;
using EdgeMigrate.EdgeAgent.Metrics;
using EdgeMigrate.EdgeAgent.Transfer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeMigrate.EdgeAgent.Tests.Infrastructure;

/// <summary>A real agent host in this process: own runc root, work dir, transfer port on loopback chosen by the OS.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestAgent(IHost host, string nodeId, string workDir, string runcRoot)
    {
        _host = host;
        NodeId = nodeId;
        WorkDir = workDir;
        RuncRoot = runcRoot;
    }

    public string NodeId { get; }

    public string WorkDir { get; }

    public string RuncRoot { get; }

    public ContainerEngine Containers => _host.Services.GetRequiredService<ContainerEngine>();

    public TransferFaults Faults => _host.Services.GetRequiredService<TransferFaults>();

    public AgentMetrics Metrics => _host.Services.GetRequiredService<AgentMetrics>();

    public RunningMigrations Migrations => _host.Services.GetRequiredService<RunningMigrations>();

    public static async Task<TestAgent> StartAsync(string nodeId, int mqttPort, string root, IEnumerable<string>? run = null, CancellationToken cancellationToken = default)
    {
        var workDir = Path.Combine(root, nodeId, "work");
        var runcRoot = Path.Combine(root, nodeId, "runc");
        var settings = new Dictionary<string, string?>
        {
            ["Agent:NodeId"] = nodeId,
            ["Agent:MqttUrl"] = $"mqtt://127.0.0.1:{mqttPort}",
            ["Agent:Listen"] = "127.0.0.1:0",
            ["Agent:RuncRoot"] = runcRoot,
            ["Agent:WorkDir"] = workDir,
            ["Agent:StatusInterval"] = "00:00:01",
        };
        var i = 0;
        foreach (var r in run ?? [])
        {
            settings[$"Agent:Run:{i++}"] = r;
        }

        var host = AgentApplication.Build(settings);
        await host.StartAsync(cancellationToken);
        await host.Services.GetRequiredService<AgentMqttService>().Connected.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return new TestAgent(host, nodeId, workDir, runcRoot);
    }

    public string BundleOf(string serviceId) => Containers.BundleOf(serviceId);

    /// <summary>Stops the agent (publishes "offline"); its containers keep running, as with a real agent restart.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (id, _) in await Containers.Runc.ListAsync(CancellationToken.None))
        {
            await HostCommand.RunAsync("runc", ["--root", RuncRoot, "delete", "-f", id], CancellationToken.None);
        }

        await StopAsync();
        _host.Dispose();
    }
}
