using Wafer.Wasm.Imports;
using Wasmtime;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// The functions of WASI preview 1 (<c>wasi_snapshot_preview1</c>) with their core signatures, as Wasmtime
/// provides them. A module may import any of these; what they can reach is decided per store (no arguments,
/// environment or folders unless granted).
/// </summary>
internal static class WasiImports
{
    public const string ModuleName = "wasi_snapshot_preview1";

    private const ValueKind I32 = ValueKind.Int32;
    private const ValueKind I64 = ValueKind.Int64;

    private static readonly Dictionary<string, HostImport> ByName = Build(
        ("args_get", [I32, I32]),
        ("args_sizes_get", [I32, I32]),
        ("environ_get", [I32, I32]),
        ("environ_sizes_get", [I32, I32]),
        ("clock_res_get", [I32, I32]),
        ("clock_time_get", [I32, I64, I32]),
        ("fd_advise", [I32, I64, I64, I32]),
        ("fd_allocate", [I32, I64, I64]),
        ("fd_close", [I32]),
        ("fd_datasync", [I32]),
        ("fd_fdstat_get", [I32, I32]),
        ("fd_fdstat_set_flags", [I32, I32]),
        ("fd_fdstat_set_rights", [I32, I64, I64]),
        ("fd_filestat_get", [I32, I32]),
        ("fd_filestat_set_size", [I32, I64]),
        ("fd_filestat_set_times", [I32, I64, I64, I32]),
        ("fd_pread", [I32, I32, I32, I64, I32]),
        ("fd_prestat_get", [I32, I32]),
        ("fd_prestat_dir_name", [I32, I32, I32]),
        ("fd_pwrite", [I32, I32, I32, I64, I32]),
        ("fd_read", [I32, I32, I32, I32]),
        ("fd_readdir", [I32, I32, I32, I64, I32]),
        ("fd_renumber", [I32, I32]),
        ("fd_seek", [I32, I64, I32, I32]),
        ("fd_sync", [I32]),
        ("fd_tell", [I32, I32]),
        ("fd_write", [I32, I32, I32, I32]),
        ("path_create_directory", [I32, I32, I32]),
        ("path_filestat_get", [I32, I32, I32, I32, I32]),
        ("path_filestat_set_times", [I32, I32, I32, I32, I64, I64, I32]),
        ("path_link", [I32, I32, I32, I32, I32, I32, I32]),
        ("path_open", [I32, I32, I32, I32, I32, I64, I64, I32, I32]),
        ("path_readlink", [I32, I32, I32, I32, I32, I32]),
        ("path_remove_directory", [I32, I32, I32]),
        ("path_rename", [I32, I32, I32, I32, I32, I32]),
        ("path_symlink", [I32, I32, I32, I32, I32]),
        ("path_unlink_file", [I32, I32, I32]),
        ("poll_oneoff", [I32, I32, I32, I32]),
        ("proc_raise", [I32]),
        ("sched_yield", []),
        ("random_get", [I32, I32]),
        ("sock_accept", [I32, I32, I32]),
        ("sock_recv", [I32, I32, I32, I32, I32, I32]),
        ("sock_send", [I32, I32, I32, I32, I32]),
        ("sock_shutdown", [I32, I32]));

    /// <summary>The WASI function <paramref name="module"/>.<paramref name="name"/>, or null when it is not one.</summary>
    public static HostImport? Find(string module, string name) =>
        module == ModuleName ? ByName.GetValueOrDefault(name) : null;

    private static Dictionary<string, HostImport> Build(params (string Name, ValueKind[] Parameters)[] functions)
    {
        var byName = functions.ToDictionary(f => f.Name, f => new HostImport(ModuleName, f.Name, f.Parameters, [I32]), StringComparer.Ordinal);
        byName["proc_exit"] = new HostImport(ModuleName, "proc_exit", [I32], []);
        return byName;
    }
}
