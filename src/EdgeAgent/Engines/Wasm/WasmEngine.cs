using System.Collections.Concurrent;
using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Wasm;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>
/// WebAssembly services hosted inside the agent (Wasmtime, library <c>EdgeMigrate.EdgeAgent.Wasm</c>). Each has
/// <c>{work-dir}/wasm/{id}/module.wasm</c> (its own copy of the module) and <c>data/</c> (the guest's
/// <c>/data</c>, which moves with it). One <see cref="WasmHost"/> per agent; it is created lazily, so an
/// agent whose native Wasmtime library is missing still runs containers and reports no wasm engine. A wasm
/// service's state is machine-independent at a call boundary, so it restores on any CPU architecture.
/// </summary>
public sealed partial class WasmEngine : IMigrationEngine, IDisposable
{
    private static readonly EngineCapabilities Supported = new()
    {
        Modes = new HashSet<MigrationMode> { MigrationMode.PreCopy, MigrationMode.StopAndCopy },
        CrossArchitecture = true,
    };

    private readonly AgentOptions _options;
    private readonly ILogger<WasmEngine> _logger;
    private readonly ConcurrentDictionary<string, WasmService> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _movedTo = new(StringComparer.Ordinal);
    private readonly Lazy<WasmHost?> _host;
    private string? _unavailable;

    public WasmEngine(IOptions<AgentOptions> options, ILogger<WasmEngine> logger)
    {
        _options = options.Value;
        _logger = logger;
        _host = new Lazy<WasmHost?>(CreateHost);
    }

    /// <summary>Wasmtime loaded: the node can offer the wasm engine.</summary>
    public bool IsAvailable => _host.Value is not null;

    public WorkloadEngine Kind => WorkloadEngine.Wasm;

    /// <summary>Pre-copy by page hash and stop-and-copy, to any architecture; post-copy has no meaning for a call-boundary snapshot.</summary>
    public EngineCapabilities Capabilities => Supported;

    /// <summary>Why the engine is unavailable (null when it is available).</summary>
    public string? UnavailableReason => IsAvailable ? null : _unavailable;

    public WasmHost Host => _host.Value ?? throw new InvalidOperationException($"the wasm engine is unavailable: {_unavailable}");

    public IReadOnlyList<string> HostedServices => [.. _services.Keys.Order(StringComparer.Ordinal)];

    public string ServiceDirectory(string serviceId) => Path.Combine(_options.WorkDir, "wasm", serviceId.Replace(':', '_'));

    public string ModulePathOf(string serviceId) => Path.Combine(ServiceDirectory(serviceId), "module.wasm");

    public string DataDirectoryOf(string serviceId) => Path.Combine(ServiceDirectory(serviceId), "data");

    public WasmService? Find(string serviceId) => _services.GetValueOrDefault(serviceId);

    public bool Contains(string serviceId) => _services.ContainsKey(serviceId);

    /// <summary>The node a service left this agent for (by a committed migration), if it did.</summary>
    public string? MovedTo(string serviceId) => _movedTo.GetValueOrDefault(serviceId);

    /// <summary>Options a service runs with here (source and target use the same shape).</summary>
    public WasmWorkloadOptions OptionsFor(string serviceId, ReadOnlyMemory<byte> config = default) => new()
    {
        DataDirectory = DataDirectoryOf(serviceId),
        Config = config,
        Output = text => LogGuestOutput(_logger, serviceId, text.TrimEnd()),
    };

    public SourceMigrationLifecycle CreateSource(MigrationContext context, NodeCommandMessage command) => new WasmSourceMigration(context, this, command);

    public TargetMigrationLifecycle CreateTarget(MigrationContext context, NodeCommandMessage command) => new WasmTargetMigration(context, this, command);

    /// <summary>Starts the launch's module as a fresh service (its config goes to <c>em_init</c>), unless the service already runs here.</summary>
    public async Task StartServiceAsync(ServiceLaunch launch, CancellationToken cancellationToken)
    {
        if (!Contains(launch.ServiceId))
        {
            await StartAsync(launch.ServiceId, launch.Source, launch.Config, cancellationToken);
        }
    }

    public Task<bool> RemoveServiceAsync(string serviceId, CancellationToken cancellationToken)
    {
        var known = Contains(serviceId);
        Remove(serviceId);
        return Task.FromResult(known);
    }

    public Task<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken) => Task.FromResult(HostedServices);

    /// <summary>Copies the module into the service's directory, loads it and starts it from scratch (<c>em_init</c> gets <paramref name="config"/>).</summary>
    public async Task<WasmService> StartAsync(string serviceId, string modulePath, string? config, CancellationToken cancellationToken)
    {
        if (_services.ContainsKey(serviceId))
        {
            throw new InvalidOperationException($"wasm service {serviceId} already runs here");
        }

        var dir = ServiceDirectory(serviceId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true); // a stale copy from an earlier run: a fresh start begins empty
        }

        Directory.CreateDirectory(dir);
        File.Copy(modulePath, ModulePathOf(serviceId), overwrite: true);
        var image = Host.LoadModule(await File.ReadAllBytesAsync(ModulePathOf(serviceId), cancellationToken), Path.GetFileName(modulePath));
        try
        {
            var workload = await WasmWorkload.StartAsync(image, OptionsFor(serviceId, config is null ? default : System.Text.Encoding.UTF8.GetBytes(config)), cancellationToken);
            var service = Adopt(serviceId, image, workload);
            LogStarted(_logger, serviceId, image.ToString(), image.Analysis.Summary);
            return service;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Registers a running workload (a fresh start or a restored migration) as this node's service.</summary>
    public WasmService Adopt(string serviceId, WasmModuleImage image, WasmWorkload workload)
    {
        var service = new WasmService(serviceId, image, workload);
        if (!_services.TryAdd(serviceId, service))
        {
            throw new InvalidOperationException($"wasm service {serviceId} already runs here");
        }

        _movedTo.TryRemove(serviceId, out _);
        return service;
    }

    /// <summary>Stops and forgets a service (after a committed migration, or an abandoned restore) and deletes its files.</summary>
    public void Remove(string serviceId, string? movedTo = null)
    {
        if (movedTo is not null)
        {
            _movedTo[serviceId] = movedTo;
        }

        if (_services.TryRemove(serviceId, out var service))
        {
            service.Dispose();
        }

        try
        {
            if (Directory.Exists(ServiceDirectory(serviceId)))
            {
                Directory.Delete(ServiceDirectory(serviceId), recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next fresh start of this service id.
        }
    }

    public void Dispose()
    {
        foreach (var service in _services.Values)
        {
            service.Dispose();
        }

        _services.Clear();
        if (_host.IsValueCreated)
        {
            _host.Value?.Dispose();
        }
    }

    private WasmHost? CreateHost()
    {
        try
        {
            return new WasmHost();
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            _unavailable = $"Wasmtime could not be loaded ({ex.GetBaseException().Message}); libwasmtime.so must be next to the agent";
            LogUnavailable(_logger, _unavailable);
            return null;
        }
    }

    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Wasm service {ServiceId} started: {Module} ({Analysis})")]
    private static partial void LogStarted(ILogger logger, string serviceId, string module, string analysis);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Wasm engine unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Wasm service {ServiceId} wrote: {Text}")]
    private static partial void LogGuestOutput(ILogger logger, string serviceId, string text);
}
