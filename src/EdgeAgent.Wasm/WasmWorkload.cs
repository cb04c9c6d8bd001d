using System.Runtime.InteropServices;
using System.Text;
using Wasmtime;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>Lifecycle of a <see cref="WasmWorkload"/>.</summary>
public enum WasmWorkloadStatus
{
    /// <summary>Serving requests.</summary>
    Running,

    /// <summary>Held at a call boundary for the final migration step; requests queue at the call gate.</summary>
    Frozen,

    /// <summary>Handed over to another node; queued and new requests fail with <see cref="WasmWorkloadMovedException"/>.</summary>
    MovedAway,

    /// <summary>A call trapped; the instance is not used again.</summary>
    Faulted,

    Disposed,
}

/// <summary>
/// A running WebAssembly workload: one Wasmtime instance behind a call gate. Requests go through
/// <see cref="HandleAsync"/> one at a time (the gate), so between two calls no wasm code is on the stack
/// and the whole state — linear memory, mutable globals, tables, files under <c>/data</c> — is
/// machine-independent. That is where <see cref="WasmMigrationSource"/> takes it.
/// </summary>
public sealed class WasmWorkload : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Store _store;
    private readonly Func<int, int> _alloc;
    private readonly Func<int, int, long> _handle;
    private readonly WasmWorkloadOptions _options;
    private WasmWorkloadStatus _status = WasmWorkloadStatus.Running;
    private long _callsHandled;

    private WasmWorkload(WasmModuleImage image, WasmWorkloadOptions options, Store store, Instance instance)
    {
        Image = image;
        _options = options;
        _store = store;
        Instance = instance;
        Memory = instance.GetMemory(WasmContract.MemoryExport)
            ?? throw new WasmMigrationRefusedException($"module {image.Name} does not export its memory as \"{WasmContract.MemoryExport}\"");
        _alloc = instance.GetFunction<int, int>(WasmContract.AllocExport)
            ?? throw new WasmMigrationRefusedException($"module {image.Name} does not export {WasmContract.AllocExport}(i32) -> i32");
        _handle = instance.GetFunction<int, int, long>(WasmContract.HandleExport)
            ?? throw new WasmMigrationRefusedException($"module {image.Name} does not export {WasmContract.HandleExport}(i32, i32) -> i64");
    }

    public WasmModuleImage Image { get; }

    public WasmWorkloadStatus Status => _status;

    /// <summary>Requests handled by this instance (since start or restore).</summary>
    public long CallsHandled => Interlocked.Read(ref _callsHandled);

    /// <summary>Current size of linear memory in bytes (read between calls).</summary>
    public long MemoryBytes => Memory.GetLength();

    public string? DataDirectory => _options.DataDirectory;

    internal Instance Instance { get; }

    internal Memory Memory { get; }

    internal SemaphoreSlim Gate => _gate;

    /// <summary>
    /// Starts a workload from scratch: instantiates the module, calls <c>_initialize</c> (WASI reactors) and
    /// <c>em_init</c> with <see cref="WasmWorkloadOptions.Config"/>. A module that is not migratable runs,
    /// but <see cref="BeginMigration"/> refuses it.
    /// </summary>
    /// <exception cref="WasmMigrationRefusedException">The module lacks the contract's memory or functions.</exception>
    /// <exception cref="WasmWorkloadFaultedException">Initialisation trapped or em_init returned non-zero.</exception>
    public static Task<WasmWorkload> StartAsync(WasmModuleImage image, WasmWorkloadOptions options, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var workload = Instantiate(image, options);
        try
        {
            if (image.Analysis.HasReactorInitialize)
            {
                workload.Instance.GetAction(WasmContract.ReactorInitExport)!.Invoke();
            }

            if (image.Analysis.HasInit)
            {
                var init = workload.Instance.GetFunction<int, int, int>(WasmContract.InitExport)!;
                var config = options.Config.Span;
                var ptr = config.IsEmpty ? 0 : workload.CopyIn(config);
                var rc = init(ptr, config.Length);
                if (rc != 0)
                {
                    throw new WasmWorkloadFaultedException($"{image.Name}: {WasmContract.InitExport} returned {rc} for config \"{Encoding.UTF8.GetString(config)}\"");
                }
            }
        }
        catch (WasmtimeException ex)
        {
            workload.Dispose();
            throw new WasmWorkloadFaultedException($"{image.Name}: initialisation failed: {ex.Message}", ex);
        }
        catch
        {
            workload.Dispose();
            throw;
        }

        return Task.FromResult(workload);
    }

    /// <summary>Instantiates without running any of the module's code (restore path and fresh start).</summary>
    internal static WasmWorkload Instantiate(WasmModuleImage image, WasmWorkloadOptions options)
    {
        var store = new Store(image.Host.Engine);
        try
        {
            var wasi = new WasiConfiguration()
                .WithArgs([image.Name, .. options.Arguments])
                .WithEnvironmentVariables(options.Environment.Select(kv => (kv.Key, kv.Value)));
            if (options.Output is { } output)
            {
                wasi = wasi
                    .WithStandardOutputCallback(data => output(Encoding.UTF8.GetString(data)))
                    .WithStandardErrorCallback(data => output(Encoding.UTF8.GetString(data)));
            }

            if (options.DataDirectory is not null)
            {
                Directory.CreateDirectory(options.DataDirectory);
                wasi = wasi.WithPreopenedDirectory(Path.GetFullPath(options.DataDirectory), WasmContract.DataDirectoryGuestPath, true);
            }

            store.SetWasiConfiguration(wasi);
            Instance instance;
            try
            {
                instance = image.Host.Instantiate(store, image.Module);
            }
            catch (WasmtimeException ex)
            {
                throw new WasmMigrationRefusedException($"module {image.Name} cannot be instantiated here: {ex.Message}", ex);
            }

            return new WasmWorkload(image, options, store, instance);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one request (or event) to the workload and returns its answer. Calls are serialised by the
    /// call gate; while the workload is frozen for migration they wait here.
    /// </summary>
    /// <exception cref="WasmWorkloadMovedException">The workload moved to another node while this request waited.</exception>
    /// <exception cref="WasmWorkloadFaultedException">The call trapped or returned an invalid response.</exception>
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfNotRunning();
            return CallUnderGate(request.Span);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Convenience for text protocols: UTF-8 in, UTF-8 out.</summary>
    public async Task<string> HandleTextAsync(string request, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await HandleAsync(Encoding.UTF8.GetBytes(request), cancellationToken));

    /// <summary>
    /// Starts moving this workload: refuses (before anything is read or sent) when the module is not
    /// migratable, otherwise returns the source side of a pre-copy migration.
    /// </summary>
    /// <exception cref="WasmMigrationRefusedException">The module breaks the workload contract.</exception>
    public WasmMigrationSource BeginMigration(WasmMigrationOptions? options = null)
    {
        Image.EnsureMigratable();
        ThrowIfNotRunning();
        return new WasmMigrationSource(this, options ?? new WasmMigrationOptions());
    }

    /// <summary>
    /// Stop-and-copy checkpoint to a stream (one final chunk, see <see cref="WasmStateChunk"/>): waits for
    /// the in-flight call, captures the state, and lets the workload run on.
    /// </summary>
    public async Task<WasmStateChunk> CheckpointAsync(Stream destination, CancellationToken cancellationToken)
    {
        using var migration = BeginMigration();
        var final = await migration.FreezeAsync(cancellationToken);
        try
        {
            await final.WriteToAsync(destination, cancellationToken);
        }
        finally
        {
            migration.Resume();
        }

        return final;
    }

    private void ThrowIfNotRunning()
    {
        switch (_status)
        {
            case WasmWorkloadStatus.Running or WasmWorkloadStatus.Frozen:
                return;
            case WasmWorkloadStatus.MovedAway:
                throw new WasmWorkloadMovedException($"workload {Image.Name} has moved to another node");
            case WasmWorkloadStatus.Faulted:
                throw new WasmWorkloadFaultedException($"workload {Image.Name} faulted earlier and accepts no more requests");
            default:
                throw new ObjectDisposedException(nameof(WasmWorkload));
        }
    }

    private byte[] CallUnderGate(ReadOnlySpan<byte> request)
    {
        try
        {
            var ptr = CopyIn(request);
            var result = _handle(ptr, request.Length);
            Interlocked.Increment(ref _callsHandled);
            var responsePtr = (uint)((ulong)result >> 32);
            var responseLength = (uint)result;
            if (responseLength > (uint)_options.MaxResponseBytes || responsePtr + (ulong)responseLength > (ulong)Memory.GetLength())
            {
                throw new WasmWorkloadFaultedException(
                    $"{Image.Name}: {WasmContract.HandleExport} returned an invalid response ({responseLength} bytes at 0x{responsePtr:X8})");
            }

            return Memory.GetSpan(responsePtr, (int)responseLength).ToArray();
        }
        catch (WasmtimeException ex)
        {
            _status = WasmWorkloadStatus.Faulted;
            throw new WasmWorkloadFaultedException($"{Image.Name} trapped: {ex.Message}", ex);
        }
        catch (WasmWorkloadFaultedException)
        {
            _status = WasmWorkloadStatus.Faulted;
            throw;
        }
    }

    private int CopyIn(ReadOnlySpan<byte> bytes)
    {
        var ptr = _alloc(Math.Max(bytes.Length, 1));
        if (ptr == 0 || (ulong)(uint)ptr + (ulong)bytes.Length > (ulong)Memory.GetLength())
        {
            throw new WasmWorkloadFaultedException($"{Image.Name}: {WasmContract.AllocExport}({bytes.Length}) returned no usable buffer (0x{ptr:X8})");
        }

        bytes.CopyTo(Memory.GetSpan((uint)ptr, bytes.Length));
        return ptr;
    }

    internal void MarkFrozen() => _status = WasmWorkloadStatus.Frozen;

    internal void MarkRunning()
    {
        if (_status == WasmWorkloadStatus.Frozen)
        {
            _status = WasmWorkloadStatus.Running;
        }
    }

    internal void MarkMovedAway() => _status = WasmWorkloadStatus.MovedAway;

    /// <summary>Runs an action on the store at a call boundary (the caller holds the gate).</summary>
    internal Global? GetGlobal(string name) => Instance.GetGlobal(name);

    internal Table? GetTable(string name) => Instance.GetTable(name);

    internal static string Architecture => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>Waits for an in-flight call, then frees the instance; waiting requests fail.</summary>
    public void Dispose()
    {
        if (_status == WasmWorkloadStatus.Disposed)
        {
            return;
        }

        // Frozen: the migration holds the gate, and releases it on Resume/Complete (waiters then see Disposed).
        var frozen = _status == WasmWorkloadStatus.Frozen;
        if (!frozen)
        {
            _gate.Wait();
        }

        _status = WasmWorkloadStatus.Disposed;
        _store.Dispose();
        if (!frozen)
        {
            _gate.Release();
        }
    }
}
