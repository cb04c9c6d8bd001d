using EdgeMigrate.EdgeAgent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WasmTarget = EdgeMigrate.EdgeAgent.Wasm.WasmMigrationTarget;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>Start-up of the wasm engine: loads Wasmtime, opens the request endpoint, starts the services named with --run-wasm (or --run S=M.wasm).</summary>
public sealed partial class WasmStartup(IOptions<AgentOptions> options, WasmEngine engine, ILoggerFactory loggers, ILogger<WasmStartup> logger) : IHostedService
{
    private WasmRequestServer? _server;

    /// <summary>Whether a --run value names a wasm module rather than an OCI bundle.</summary>
    public static bool IsWasmRun(string run) => run.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every SERVICE=MODULE this agent starts as a wasm service.</summary>
    public static IEnumerable<string> WasmRuns(AgentOptions options) => options.Run.Where(IsWasmRun).Concat(options.RunWasm);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        LogEngine(logger, engine.IsAvailable ? $"Wasmtime loaded ({WasmTarget.Architecture})" : engine.UnavailableReason ?? "unavailable");
        if (o.WasmListen is { } listen && AgentOptionsValidator.TryParseEndpoint(listen, out var endpoint))
        {
            _server = new WasmRequestServer(endpoint, engine, loggers.CreateLogger<WasmRequestServer>());
            _server.Start();
        }

        foreach (var run in WasmRuns(o))
        {
            var eq = run.IndexOf('=', StringComparison.Ordinal);
            var serviceId = run[..eq];
            if (engine.Contains(serviceId))
            {
                continue;
            }

            await engine.StartAsync(serviceId, run[(eq + 1)..], ConfigOf(o, serviceId), cancellationToken);
        }
    }

    /// <summary>The --wasm-config text for <paramref name="serviceId"/> (the last one wins), null if none.</summary>
    public static string? ConfigOf(AgentOptions options, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? config = null;
        foreach (var entry in options.WasmConfig)
        {
            if (entry.Length > serviceId.Length && entry[serviceId.Length] == '=' && entry.StartsWith(serviceId, StringComparison.Ordinal))
            {
                config = entry[(serviceId.Length + 1)..];
            }
        }

        return config;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The request endpoint's bound address (null when --wasm-listen is not set).</summary>
    public System.Net.IPEndPoint? RequestEndpoint => _server?.BoundEndpoint;

    [LoggerMessage(EventId = 7500, Level = LogLevel.Information, Message = "Wasm engine: {State}")]
    private static partial void LogEngine(ILogger logger, string state);
}
