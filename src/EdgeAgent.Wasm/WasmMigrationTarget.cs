using System.Runtime.InteropServices;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// The target side of a WebAssembly migration, on any CPU architecture. <see cref="Create"/> instantiates
/// the same module at once (no code runs), so pre-copy rounds are written straight into its memory as they
/// arrive; <see cref="Apply"/> takes chunks in order; after the final chunk, <see cref="Activate"/> returns
/// the workload, serving from where the source stopped.
/// </summary>
public sealed class WasmMigrationTarget : IDisposable
{
    private readonly WasmModuleImage _image;
    private readonly WasmWorkloadOptions _options;
    private WasmWorkload? _workload;
    private int _nextRound;

    private WasmMigrationTarget(WasmModuleImage image, WasmWorkloadOptions options, WasmWorkload workload)
    {
        _image = image;
        _options = options;
        _workload = workload;
    }

    /// <summary>Whether the final chunk has been applied.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Architecture the state came from (known after the final chunk).</summary>
    public string? SourceArchitecture { get; private set; }

    /// <summary>Prepares a target for a module.</summary>
    /// <exception cref="WasmMigrationRefusedException">The module is not migratable.</exception>
    public static WasmMigrationTarget Create(WasmModuleImage image, WasmWorkloadOptions options)
    {
        image.EnsureMigratable();
        var workload = WasmWorkload.Instantiate(image, options);
        return new WasmMigrationTarget(image, options, workload);
    }

    /// <summary>Applies the next chunk (rounds in order, then the final one).</summary>
    /// <exception cref="WasmMigrationRefusedException">
    /// The chunk belongs to another module, comes out of order, or does not fit this module (memory
    /// limits, globals, tables). Nothing is served from a refused target.
    /// </exception>
    public void Apply(WasmStateChunk chunk)
    {
        var workload = _workload ?? throw new ObjectDisposedException(nameof(WasmMigrationTarget));
        if (IsComplete)
        {
            throw new InvalidOperationException("the final chunk was already applied");
        }

        if (!chunk.ModuleSha256.Span.SequenceEqual(_image.Sha256.Span))
        {
            throw new WasmMigrationRefusedException(
                $"the state belongs to module sha256:{chunk.ModuleHashHex}, not to {_image.Name} (sha256:{_image.HashHex}): a snapshot restores only into the module it was taken from");
        }

        if (chunk.Round != _nextRound)
        {
            throw new WasmMigrationRefusedException($"chunk {chunk.Round} arrived, chunk {_nextRound} was expected");
        }

        var memory = workload.Memory;
        var current = memory.GetSize();
        if (chunk.MemoryPages > current)
        {
            try
            {
                memory.Grow(chunk.MemoryPages - current);
            }
            catch (Exception ex) when (ex is Wasmtime.WasmtimeException or InvalidOperationException)
            {
                throw new WasmMigrationRefusedException($"cannot grow memory to {chunk.MemoryPages} pages here: {ex.Message}", ex);
            }
        }
        else if (chunk.MemoryPages < current)
        {
            throw new WasmMigrationRefusedException($"state has {chunk.MemoryPages} memory pages, fewer than the {current} this instance already has");
        }

        foreach (var page in chunk.Pages)
        {
            var span = memory.GetSpan(page.Index * (long)WasmStateChunk.PageSize, WasmStateChunk.PageSize);
            if (page.IsZero)
            {
                span.Clear();
            }
            else
            {
                page.Data.Span.CopyTo(span);
            }
        }

        _nextRound++;
        if (chunk.Kind == WasmChunkKind.Final)
        {
            ApplyFinal(workload, chunk);
        }
    }

    /// <summary>Reads chunks from a stream (a snapshot file or a transfer) until the final one.</summary>
    public async Task ApplyAllAsync(Stream source, CancellationToken cancellationToken)
    {
        while (!IsComplete)
        {
            var chunk = await WasmStateChunk.ReadFromAsync(source, cancellationToken)
                ?? throw new InvalidDataException("the state ended before its final chunk");
            Apply(chunk);
        }
    }

    /// <summary>The restored workload, serving. The target object is done after this.</summary>
    public WasmWorkload Activate()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("the final chunk has not been applied yet");
        }

        var workload = _workload!;
        _workload = null;
        return workload;
    }

    /// <summary>Restores a workload from a snapshot stream in one step.</summary>
    public static async Task<WasmWorkload> RestoreAsync(WasmModuleImage image, WasmWorkloadOptions options, Stream snapshot, CancellationToken cancellationToken)
    {
        using var target = Create(image, options);
        await target.ApplyAllAsync(snapshot, cancellationToken);
        return target.Activate();
    }

    private void ApplyFinal(WasmWorkload workload, WasmStateChunk chunk)
    {
        var expected = _image.Analysis.MutableGlobals.Select(g => g.ExportName!).Order(StringComparer.Ordinal);
        var carried = chunk.Globals.Select(g => g.Name).Order(StringComparer.Ordinal);
        if (!expected.SequenceEqual(carried, StringComparer.Ordinal))
        {
            throw new WasmMigrationRefusedException(
                $"state carries globals [{string.Join(", ", carried)}], the module has mutable globals [{string.Join(", ", expected)}]");
        }

        foreach (var value in chunk.Globals)
        {
            var global = workload.GetGlobal(value.Name)
                ?? throw new WasmMigrationRefusedException($"global {value.Name} is not exported by {_image.Name}");
            global.SetValue(WasmMigrationSource.FromBits(value.Bits, value.Type));
        }

        var tables = WasmMigrationSource.CaptureTables(workload);
        foreach (var carried2 in chunk.Tables)
        {
            var mine = tables.Find(t => t.Name == carried2.Name)
                ?? throw new WasmMigrationRefusedException($"table {carried2.Name} is not exported by {_image.Name}");
            if (mine != carried2)
            {
                throw new WasmMigrationRefusedException(
                    $"table {carried2.Name} differs from the module's own (size {carried2.Size} vs {mine.Size}): it cannot be rebuilt by instantiating the module");
            }
        }

        if (_options.DataDirectory is { } dir)
        {
            DataDirectoryState.Restore(dir, chunk.Files);
        }
        else if (chunk.Files.Count > 0)
        {
            throw new WasmMigrationRefusedException($"state carries {chunk.Files.Count} files but this target has no data directory");
        }

        SourceArchitecture = chunk.SourceArchitecture;
        IsComplete = true;
    }

    /// <summary>Architecture this target runs on, e.g. "arm64".</summary>
    public static string Architecture => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    public void Dispose()
    {
        _workload?.Dispose();
        _workload = null;
    }
}
