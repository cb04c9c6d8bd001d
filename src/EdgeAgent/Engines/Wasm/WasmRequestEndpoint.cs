using EdgeMigrate.EdgeAgent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmTarget = EdgeMigrate.EdgeAgent.Wasm.WasmMigrationTarget;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>Opens the request endpoint of the wasm services (--wasm-listen) and closes it on shutdown; off when the option is absent.</summary>
public sealed partial class WasmRequestEndpoint(IOptions<AgentOptions> options, WasmEngine engine, ILoggerFactory loggers, ILogger<WasmRequestEndpoint> logger) : IHostedService
{
    private WasmRequestServer? _server;

    /// <summary>The request endpoint's bound address (null when --wasm-listen is not set).</summary>
    public System.Net.IPEndPoint? BoundEndpoint => _server?.BoundEndpoint;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogEngine(logger, engine.IsAvailable ? $"Wasmtime loaded ({WasmTarget.Architecture})" : engine.UnavailableReason ?? "unavailable");
        if (options.Value.WasmListen is { } listen && AgentOptionsValidator.TryParseEndpoint(listen, out var endpoint))
        {
            _server = new WasmRequestServer(endpoint, engine, loggers.CreateLogger<WasmRequestServer>());
            _server.Start();
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 7500, Level = LogLevel.Information, Message = "Wasm engine: {State}")]
    private static partial void LogEngine(ILogger logger, string state);
}
