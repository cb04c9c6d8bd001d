using System.IO.Hashing;
using Wasmtime;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// The source side of a WebAssembly migration. Pre-copy: <see cref="NextRoundAsync"/> while the workload
/// keeps serving, each round carrying only the 64 KiB pages whose content hash changed since the target
/// last got them (round 0: since the module's pristine image, which the target has by instantiating the
/// same module). <see cref="FreezeAsync"/> waits for the in-flight call to return, holds the call gate
/// (new requests queue) and returns the last delta plus globals, table checks and files. Then either
/// <see cref="Complete"/> (target confirmed: queued requests learn the workload moved) or
/// <see cref="Resume"/> (target failed: the source serves on, nothing lost).
/// </summary>
public sealed class WasmMigrationSource : IDisposable
{
    private readonly WasmWorkload _workload;
    private readonly WasmMigrationOptions _options;
    private readonly List<WasmRoundStats> _rounds = [];
    private ulong[] _targetHashes;
    private int _round;
    private bool _frozen;
    private bool _finished;

    internal WasmMigrationSource(WasmWorkload workload, WasmMigrationOptions options)
    {
        _workload = workload;
        _options = options;
        _targetHashes = [.. workload.Image.PristinePageHashes()];
    }

    /// <summary>What each chunk so far carried.</summary>
    public IReadOnlyList<WasmRoundStats> Rounds => _rounds;

    public WasmWorkload Workload => _workload;

    /// <summary>
    /// One pre-copy round while the workload runs: pages are read in slices of
    /// <see cref="WasmMigrationOptions.PagesPerSlice"/>, each at a call boundary (under the gate), so
    /// requests keep being served between slices.
    /// </summary>
    public async Task<WasmStateChunk> NextRoundAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_frozen)
        {
            throw new InvalidOperationException("the workload is frozen: the next chunk is the final one");
        }

        var started = _options.TimeProvider.GetTimestamp();
        var pages = new List<WasmPage>();
        var scanned = 0;
        uint memoryPages;
        var next = 0;
        while (true)
        {
            await _workload.Gate.WaitAsync(cancellationToken);
            try
            {
                if (_workload.Status != WasmWorkloadStatus.Running)
                {
                    throw new InvalidOperationException($"workload is {_workload.Status}; pre-copy needs it running");
                }

                memoryPages = (uint)_workload.Memory.GetSize();
                var end = (int)Math.Min(memoryPages, (long)next + _options.PagesPerSlice);
                scanned += CollectChanged(next, end, pages);
                next = end;
                if (next >= memoryPages)
                {
                    break;
                }
            }
            finally
            {
                _workload.Gate.Release();
            }
        }

        var chunk = new WasmStateChunk
        {
            Kind = WasmChunkKind.Round,
            ModuleSha256 = _workload.Image.Sha256,
            Round = _round++,
            MemoryPages = memoryPages,
            Pages = pages,
        };
        _rounds.Add(new WasmRoundStats(chunk.Round, false, scanned, pages.Count, EncodedLength(chunk), _options.TimeProvider.GetElapsedTime(started)));
        return chunk;
    }

    /// <summary>
    /// Freezes the workload at a call boundary (waits for the in-flight call; later requests queue at the
    /// gate) and returns the final chunk. The workload stays frozen until <see cref="Complete"/> or
    /// <see cref="Resume"/>.
    /// </summary>
    /// <exception cref="WasmMigrationRefusedException">The state cannot be captured (e.g. an unsupported file in /data); the workload runs on.</exception>
    public async Task<WasmStateChunk> FreezeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_frozen)
        {
            throw new InvalidOperationException("already frozen");
        }

        await _workload.Gate.WaitAsync(cancellationToken);
        var started = _options.TimeProvider.GetTimestamp();
        try
        {
            if (_workload.Status != WasmWorkloadStatus.Running)
            {
                throw new InvalidOperationException($"workload is {_workload.Status}; it cannot be frozen");
            }

            _workload.MarkFrozen();
            _frozen = true;
            var memoryPages = (uint)_workload.Memory.GetSize();
            var pages = new List<WasmPage>();
            var scanned = CollectChanged(0, (int)memoryPages, pages);
            var chunk = new WasmStateChunk
            {
                Kind = WasmChunkKind.Final,
                ModuleSha256 = _workload.Image.Sha256,
                Round = _round++,
                MemoryPages = memoryPages,
                Pages = pages,
                Globals = CaptureGlobals(),
                Tables = CaptureTables(_workload),
                Files = _workload.DataDirectory is { } dir ? DataDirectoryState.Capture(dir) : [],
                SourceArchitecture = WasmWorkload.Architecture,
            };
            _rounds.Add(new WasmRoundStats(chunk.Round, true, scanned, pages.Count, EncodedLength(chunk), _options.TimeProvider.GetElapsedTime(started)));
            return chunk;
        }
        catch
        {
            Unfreeze();
            throw;
        }
    }

    /// <summary>The target failed or the migration was cancelled: the source serves again, as if nothing happened.</summary>
    public void Resume()
    {
        if (_frozen && !_finished)
        {
            Unfreeze();
        }

        _finished = true;
    }

    /// <summary>
    /// The target confirmed a running restore: this instance never runs again. Requests waiting at the gate
    /// (and later ones) fail with <see cref="WasmWorkloadMovedException"/> so the agent can redirect them.
    /// </summary>
    public void Complete()
    {
        if (!_frozen || _finished)
        {
            throw new InvalidOperationException("only a frozen migration can complete");
        }

        _workload.MarkMovedAway();
        _finished = true;
        _workload.Gate.Release();
    }

    /// <summary>Without <see cref="Complete"/>, the workload resumes.</summary>
    public void Dispose() => Resume();

    private void Unfreeze()
    {
        _frozen = false;
        _workload.MarkRunning();
        _workload.Gate.Release();
    }

    private int CollectChanged(int from, int to, List<WasmPage> pages)
    {
        if (to > _targetHashes.Length)
        {
            var old = _targetHashes.Length;
            Array.Resize(ref _targetHashes, to);
            Array.Fill(_targetHashes, WasmModuleImage.ZeroPageHash, old, to - old);
        }

        var memory = _workload.Memory;
        for (var i = from; i < to; i++)
        {
            var span = memory.GetSpan(i * (long)WasmStateChunk.PageSize, WasmStateChunk.PageSize);
            var hash = XxHash3.HashToUInt64(span);
            if (hash != _targetHashes[i])
            {
                _targetHashes[i] = hash;
                pages.Add(hash == WasmModuleImage.ZeroPageHash && !span.ContainsAnyExcept((byte)0)
                    ? new WasmPage((uint)i, ReadOnlyMemory<byte>.Empty)
                    : new WasmPage((uint)i, span.ToArray()));
            }
        }

        return to - from;
    }

    private List<WasmGlobalValue> CaptureGlobals()
    {
        var values = new List<WasmGlobalValue>();
        foreach (var info in _workload.Image.Analysis.MutableGlobals)
        {
            var global = _workload.GetGlobal(info.ExportName!)
                ?? throw new WasmMigrationRefusedException($"exported global {info.ExportName} is missing from the instance");
            values.Add(new WasmGlobalValue(info.ExportName!, info.Type, ToBits(global.GetValue(), info.Type)));
        }

        return values;
    }

    internal static List<WasmTableState> CaptureTables(WasmWorkload workload)
    {
        var tables = new List<WasmTableState>();
        foreach (var info in workload.Image.Analysis.Tables)
        {
            var table = workload.GetTable(info.ExportName!)
                ?? throw new WasmMigrationRefusedException($"exported table {info.ExportName} is missing from the instance");
            tables.Add(new WasmTableState(info.ExportName!, checked((uint)table.GetSize()), LayoutDigest(table)));
        }

        return tables;
    }

    /// <summary>Which slots are set and the signature of each: enough to tell two tables of one module apart.</summary>
    private static ulong LayoutDigest(Table table)
    {
        var hash = new XxHash64();
        var size = table.GetSize();
        for (uint i = 0; i < size; i++)
        {
            if (table.GetElement(i) is Function { IsNull: false } function)
            {
                hash.Append([1]);
                foreach (var kind in function.Parameters)
                {
                    hash.Append([(byte)kind]);
                }

                hash.Append([0xFF]);
                foreach (var kind in function.Results)
                {
                    hash.Append([(byte)kind]);
                }
            }
            else
            {
                hash.Append([0]);
            }
        }

        return hash.GetCurrentHashAsUInt64();
    }

    private static ulong ToBits(object? value, WasmValueType type) => (type, value) switch
    {
        (WasmValueType.I32, int v) => (ulong)(uint)v,
        (WasmValueType.I64, long v) => (ulong)v,
        (WasmValueType.F32, float v) => (ulong)BitConverter.SingleToUInt32Bits(v),
        (WasmValueType.F64, double v) => BitConverter.DoubleToUInt64Bits(v),
        _ => throw new WasmMigrationRefusedException($"global of type {type} has an unexpected value {value?.GetType().Name ?? "null"}"),
    };

    internal static object FromBits(ulong bits, WasmValueType type) => type switch
    {
        WasmValueType.I32 => (int)(uint)bits,
        WasmValueType.I64 => (long)bits,
        WasmValueType.F32 => BitConverter.UInt32BitsToSingle((uint)bits),
        WasmValueType.F64 => BitConverter.UInt64BitsToDouble(bits),
        _ => throw new WasmMigrationRefusedException($"global type {type} cannot be restored"),
    };

    private static long EncodedLength(WasmStateChunk chunk) =>
        // Header + trailer + page records are what dominates; metadata is small and counted when encoded.
        24 + 44 + chunk.Pages.Sum(p => 5L + p.Data.Length) + chunk.Files.Sum(f => 64L + f.Content.Length);
}
