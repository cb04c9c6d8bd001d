using System.Globalization;
using EdgeMigrate.EdgeAgent.Commands;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeMigrate.EdgeAgent.Tests.Agent;

/// <summary>The agent's instruments are exported like the silo's: Prometheus text on GET /metrics, here from --metrics-listen.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class MetricsExportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("em-metrics-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_refused_command_shows_on_the_agents_metrics_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = FreePort.Next();
        using var host = AgentApplication.Build(new Dictionary<string, string?>
        {
            ["Agent:NodeId"] = "metrics-node",
            ["Agent:MqttUrl"] = $"mqtt://127.0.0.1:{FreePort.Next()}", // no broker: the agent keeps retrying, metrics still flow
            ["Agent:Listen"] = "127.0.0.1:0",
            ["Agent:RuncRoot"] = Path.Combine(_root, "runc"),
            ["Agent:WorkDir"] = Path.Combine(_root, "work"),
            ["Agent:MetricsListen"] = $"127.0.0.1:{port}",
        }, builder => builder.Services.AddCommandCheck<RefuseAsProbe>());
        await host.StartAsync(ct);
        try
        {
            await host.Services.GetRequiredService<CommandInbox>().ReceiveAsync(new ReceivedCommand(MqttTopics.NodeCommands("metrics-node"), "{\"schemaVersion\":1,\"kind\":\"abort\",\"migrationId\":\"m-1\",\"timestamp\":\"2026-11-24T07:30:00Z\"}"u8.ToArray(), []));
            using var http = new HttpClient();

            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"), ct);

            // Other tests' agents in this process count too; the probe's reason is this test's own.
            var line = Assert.Single(text.Split('\n'), l => l.StartsWith("edgemigrate_agent_commands_rejected_total{", StringComparison.Ordinal) && l.Contains("reason=\"metrics-probe\"", StringComparison.Ordinal));
            Assert.EndsWith(" 1", line.Split(' ', 3) is [var name, var value, ..] ? $"{name} {value}" : line, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync(ct);
        }
    }

    private sealed class RefuseAsProbe : ICommandCheck
    {
        public CommandRefusal? Check(NodeCommandMessage command, ReceivedCommand received) => new("metrics-probe", "refused by the metrics test");
    }
}
