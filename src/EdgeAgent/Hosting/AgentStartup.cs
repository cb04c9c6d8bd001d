using EdgeMigrate.EdgeAgent.Engines;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>Start-up: directories, the transfer server, each engine's state, the services named with --run / --run-wasm; stops the server on shutdown.</summary>
public sealed partial class AgentStartup(IOptions<AgentOptions> options, TransferServer server, MigrationEngines engines, ILogger<AgentStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        Directory.CreateDirectory(o.WorkDir);
        Directory.CreateDirectory(o.RuncRoot);
        var stale = Path.Combine(o.WorkDir, "migrations");
        if (Directory.Exists(stale))
        {
            // Migrations do not survive an agent restart: the silo times them out and rolls back.
            Directory.Delete(stale, recursive: true);
        }

        server.Start();
        foreach (var engine in engines.All)
        {
            LogEngine(logger, engine.Kind.ToWireName(), engine.UnavailableReason is { } why ? $"unavailable: {why}" : Describe(engine.Capabilities));
        }

        foreach (var launch in ServiceRuns.Launches(o))
        {
            var engine = engines.Find(launch.Engine) ?? throw new InvalidOperationException($"no {launch.Engine} engine is registered for service {launch.ServiceId}");
            await engine.StartServiceAsync(launch, cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();

    private static string Describe(EngineCapabilities capabilities) =>
        $"ready ({string.Join(", ", capabilities.Modes.Order().Select(m => m.ToWireName()))}{(capabilities.CrossArchitecture ? "; restores on any architecture" : "")}{(capabilities.LazyPages ? "; lazy pages" : "")})";

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Engine {Engine}: {State}")]
    private static partial void LogEngine(ILogger logger, string engine, string state);
}
