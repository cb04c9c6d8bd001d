using EdgeMigrate.EdgeAgent.Migrations;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.EdgeAgent.Wasm;
using EdgeMigrate.Models.Contracts;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>
/// The target side of a WebAssembly migration, on any CPU architecture: a receiver session of the shared
/// transfer protocol. The module round loads the module and instantiates it (<see cref="WasmMigrationTarget"/>,
/// no guest code runs); each verified round's chunk is applied at once, so the final step only applies the
/// last delta, globals and files, and activates. Reports "restored" with the downtime the session measured.
/// A refused chunk (another module, out of order, tables that differ) is remembered and fails the restore,
/// so nothing is ever served from a refused target.
/// </summary>
public sealed partial class WasmTargetMigration : TargetMigrationLifecycle
{
    private readonly WasmEngine _engine;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private WasmModuleImage? _image;
    private WasmMigrationTarget? _target;
    private Exception? _refused;

    public WasmTargetMigration(MigrationContext context, WasmEngine engine, NodeCommandMessage command)
        : base(context, command)
    {
        _engine = engine;
        _logger = context.Loggers.CreateLogger<WasmTargetMigration>();
    }

    protected override bool HasBundle(ReceiverSession session) => _target is not null;

    protected override Task RoundCompletedAsync(ReceiverSession session, RoundManifest manifest, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_refused is not null)
            {
                return Task.CompletedTask;
            }

            try
            {
                if (manifest.Kind == TransferRound.BundleKind)
                {
                    Prepare(Path.Combine(session.Directory, WasmSourceMigration.ModuleFile));
                }
                else
                {
                    Apply(session, manifest);
                }
            }
            catch (Exception ex) when (ex is WasmMigrationRefusedException or InvalidDataException or InvalidOperationException or IOException)
            {
                // Remembered, not thrown: a throw here would break the connection and the sender would resend the round.
                _refused = ex;
                LogRefused(_logger, MigrationId, manifest.Round, ex.Message);
            }
        }

        return Task.CompletedTask;
    }

    protected override Task<double> RestoreAsync(ReceiverSession session, CancellationToken ct)
    {
        var started = Context.Time.GetTimestamp();
        lock (_lock)
        {
            if (_refused is not null)
            {
                throw new InvalidOperationException($"the target refused the state: {_refused.Message}", _refused);
            }

            var target = _target ?? throw new InvalidOperationException($"no module for {ServiceId} arrived before the final round");
            var manifest = new RoundManifest(session.Round - 1, TransferRound.ImagesKind, true, [], 0);
            Apply(session, manifest);
            var workload = target.Activate();
            try
            {
                _engine.Adopt(ServiceId, _image!, workload);
            }
            catch
            {
                workload.Dispose();
                throw;
            }

            _image = null;
            target.Dispose();
            _target = null;
            Restored = true;
            var ms = Context.Time.GetElapsedTime(started).TotalMilliseconds;
            LogRestored(_logger, MigrationId, ServiceId, target.SourceArchitecture ?? "?", WasmMigrationTarget.Architecture, ms);
            return Task.FromResult(ms);
        }
    }

    protected override Task<bool> RemoveRestoredAsync()
    {
        if (!_engine.Contains(ServiceId))
        {
            return Task.FromResult(false);
        }

        _engine.Remove(ServiceId);
        return Task.FromResult(true);
    }

    protected override void ReleaseStaged()
    {
        lock (_lock)
        {
            _target?.Dispose();
            _target = null;
            _image?.Dispose();
            _image = null;
            if (!Restored && !_engine.Contains(ServiceId))
            {
                _engine.Remove(ServiceId); // only the staged directory
            }
        }
    }

    protected override void LogDiscarded(string reason) => LogDiscarded(_logger, MigrationId, reason);

    /// <summary>Loads the module that arrived and instantiates it (refuses a non-migratable module or a service that already runs here).</summary>
    private void Prepare(string arrivedModule)
    {
        if (_engine.Contains(ServiceId))
        {
            throw new InvalidOperationException($"wasm service {ServiceId} already runs on {Context.Options.NodeId}");
        }

        var dir = _engine.ServiceDirectory(ServiceId);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        File.Move(arrivedModule, _engine.ModulePathOf(ServiceId), overwrite: true);
        var image = _engine.Host.LoadModule(File.ReadAllBytes(_engine.ModulePathOf(ServiceId)), Command.Workload is { Length: > 0 } w ? Path.GetFileName(w) : WasmSourceMigration.ModuleFile);
        try
        {
            _target = WasmMigrationTarget.Create(image, _engine.OptionsFor(ServiceId));
            _image = image;
            LogPrepared(_logger, MigrationId, image.ToString());
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private void Apply(ReceiverSession session, RoundManifest manifest)
    {
        var target = _target ?? throw new InvalidOperationException($"state arrived for {ServiceId} before its module");
        var bytes = File.ReadAllBytes(Path.Combine(session.ImagesDirectory, WasmSourceMigration.StateFile));
        var chunk = WasmStateChunk.Parse(bytes);
        target.Apply(chunk);
        LogApplied(_logger, MigrationId, manifest.Round, chunk.Pages.Count, chunk.Kind == WasmChunkKind.Final);
    }

    [LoggerMessage(EventId = 7200, Level = LogLevel.Information, Message = "Migration {MigrationId} (wasm target): module {Module} loaded and instantiated")]
    private static partial void LogPrepared(ILogger logger, string migrationId, string module);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Migration {MigrationId}: round {Round} applied ({Pages} pages, final {Final})")]
    private static partial void LogApplied(ILogger logger, string migrationId, uint round, int pages, bool final);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Migration {MigrationId}: round {Round} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string migrationId, uint round, string reason);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Information, Message = "Migration {MigrationId}: {ServiceId} restored ({SourceArch} → {Arch}) in {Ms:0.0} ms and serving")]
    private static partial void LogRestored(ILogger logger, string migrationId, string serviceId, string sourceArch, string arch, double ms);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Information, Message = "Migration {MigrationId} (wasm target): discarded: {Reason}")]
    private static partial void LogDiscarded(ILogger logger, string migrationId, string reason);
}
