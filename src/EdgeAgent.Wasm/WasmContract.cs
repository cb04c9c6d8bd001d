using System.Collections.Frozen;

namespace EdgeMigrate.EdgeAgent.Wasm;

/// <summary>
/// The workload contract (docs/wasm-workloads.md), version 1: the names a migratable module exports
/// and the imports it may use.
/// </summary>
public static class WasmContract
{
    /// <summary>Contract version written into every snapshot.</summary>
    public const int Version = 1;

    /// <summary>The exported linear memory.</summary>
    public const string MemoryExport = "memory";

    /// <summary><c>em_alloc(len: i32) -&gt; i32</c>: a buffer of at least len bytes for the next request.</summary>
    public const string AllocExport = "em_alloc";

    /// <summary><c>em_handle(ptr: i32, len: i32) -&gt; i64</c>: handles a request; returns (ptr &lt;&lt; 32) | len.</summary>
    public const string HandleExport = "em_handle";

    /// <summary>Optional <c>em_init(ptr: i32, len: i32) -&gt; i32</c>: configuration, on a fresh start only; 0 = ok.</summary>
    public const string InitExport = "em_init";

    /// <summary>Optional WASI reactor initialiser, called once on a fresh start, never on a restore.</summary>
    public const string ReactorInitExport = "_initialize";

    /// <summary>A WASI command's entry point: such modules exit when done and are refused.</summary>
    public const string CommandStartExport = "_start";

    /// <summary>The only import module a workload may use.</summary>
    public const string WasiModule = "wasi_snapshot_preview1";

    /// <summary>Guest path of the preopened data directory whose files move with the workload.</summary>
    public const string DataDirectoryGuestPath = "/data";

    /// <summary>
    /// WASI preview 1 functions a workload may import. Sockets are left out: a connection cannot move.
    /// Everything here is either stateless on the host, or its state is in the preopened directory
    /// that the snapshot carries.
    /// </summary>
    public static FrozenSet<string> AllowedWasiFunctions { get; } = new[]
    {
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
        "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
        "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
        "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
        "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
        "path_unlink_file", "poll_oneoff", "proc_exit", "random_get", "sched_yield",
    }.ToFrozenSet(StringComparer.Ordinal);
}
