using EdgeMigrate.EdgeAgent.Engines.Container;
using EdgeMigrate.EdgeAgent.Transfer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>Start-up: directories, the transfer server, the services named with --run; stops the server on shutdown.</summary>
public sealed partial class AgentStartup(IOptions<AgentOptions> options, TransferServer server, ContainerEngine containers, ILogger<AgentStartup> logger) : IHostedService
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
        LogEngine(logger, ContainerEngine.IsAvailable ? "runc + CRIU found" : "runc or criu missing (see scripts/install-test-deps.sh): no container engine");
        foreach (var run in o.Run.Where(r => !Engines.Wasm.WasmStartup.IsWasmRun(r)))
        {
            var eq = run.IndexOf('=', StringComparison.Ordinal);
            var serviceId = run[..eq];
            if (await containers.StatusAsync(serviceId, cancellationToken) is { } status)
            {
                LogAlreadyRunning(logger, serviceId, status);
                continue;
            }

            await containers.StartAsync(serviceId, run[(eq + 1)..], cancellationToken);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Container engine: {State}")]
    private static partial void LogEngine(ILogger logger, string state);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Service {ServiceId} already has a container ({Status}); not started again")]
    private static partial void LogAlreadyRunning(ILogger logger, string serviceId, string status);
}
