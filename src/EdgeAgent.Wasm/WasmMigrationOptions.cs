namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>Tuning of the source side of a migration.</summary>
public sealed record WasmMigrationOptions
{
    /// <summary>
    /// Pages a pre-copy round reads while holding the call gate before letting queued requests through
    /// (256 pages = 16 MiB, a few milliseconds of hashing).
    /// </summary>
    public int PagesPerSlice { get; init; } = 256;

    /// <summary>Clock for the round timings.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>What one chunk carried, for progress events and the cost model.</summary>
/// <param name="Round">0, 1, … (the final chunk has the last number).</param>
/// <param name="IsFinal">Whether this was the frozen, final step.</param>
/// <param name="PagesScanned">Pages hashed.</param>
/// <param name="PagesSent">Pages whose content changed since the target last got them.</param>
/// <param name="Bytes">Encoded size of the chunk.</param>
/// <param name="Elapsed">Time to take the chunk (for the final one: the freeze, not the transfer).</param>
public sealed record WasmRoundStats(int Round, bool IsFinal, int PagesScanned, int PagesSent, long Bytes, TimeSpan Elapsed);
