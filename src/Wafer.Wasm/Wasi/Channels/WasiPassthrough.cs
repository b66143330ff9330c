using Wasmtime;

namespace Wafer.Wasm.Wasi.Channels;

/// <summary>
/// Wasmtime's own WASI functions for the descriptors that are not channels. A host function cannot call them
/// directly (they find the guest's memory through their wasm caller's <c>memory</c> export), so a small wasm
/// module that imports the guest's memory, re-exports it and wraps each function calls them on the host's behalf.
/// One instance per run, in the run's store (the same WASI context).
/// </summary>
internal sealed class WasiPassthrough
{
    public const string Text = """
        (module
          (import "wafer_guest" "memory" (memory 0))
          (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
          (export "memory" (memory 0))
          (func (export "path_open") (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)
            (call $path_open (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7) (local.get 8)))
          (func (export "fd_read") (param i32 i32 i32 i32) (result i32)
            (call $fd_read (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "fd_write") (param i32 i32 i32 i32) (result i32)
            (call $fd_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "fd_close") (param i32) (result i32)
            (call $fd_close (local.get 0)))
          (func (export "fd_seek") (param i32 i64 i32 i32) (result i32)
            (call $fd_seek (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
          (func (export "fd_tell") (param i32 i32) (result i32)
            (call $fd_tell (local.get 0) (local.get 1)))
          (func (export "fd_fdstat_get") (param i32 i32) (result i32)
            (call $fd_fdstat_get (local.get 0) (local.get 1)))
          (func (export "fd_filestat_get") (param i32 i32) (result i32)
            (call $fd_filestat_get (local.get 0) (local.get 1))))
        """;

    private WasiPassthrough(Instance instance)
    {
        PathOpen = instance.GetFunction<int, int, int, int, int, long, long, int, int, int>("path_open")!;
        FdRead = instance.GetFunction<int, int, int, int, int>("fd_read")!;
        FdWrite = instance.GetFunction<int, int, int, int, int>("fd_write")!;
        FdClose = instance.GetFunction<int, int>("fd_close")!;
        FdSeek = instance.GetFunction<int, long, int, int, int>("fd_seek")!;
        FdTell = instance.GetFunction<int, int, int>("fd_tell")!;
        FdFdstatGet = instance.GetFunction<int, int, int>("fd_fdstat_get")!;
        FdFilestatGet = instance.GetFunction<int, int, int>("fd_filestat_get")!;
    }

    public Func<int, int, int, int, int, long, long, int, int, int> PathOpen { get; }

    public Func<int, int, int, int, int> FdRead { get; }

    public Func<int, int, int, int, int> FdWrite { get; }

    public Func<int, int> FdClose { get; }

    public Func<int, long, int, int, int> FdSeek { get; }

    public Func<int, int, int> FdTell { get; }

    public Func<int, int, int> FdFdstatGet { get; }

    public Func<int, int, int> FdFilestatGet { get; }

    /// <summary>Instantiates the passthrough in <paramref name="store"/> over the guest's <paramref name="memory"/>.</summary>
    public static WasiPassthrough Create(Engine engine, Module module, Store store, Memory memory)
    {
        using var linker = new Linker(engine);
        linker.DefineWasi();
        linker.Define("wafer_guest", "memory", memory);
        return new WasiPassthrough(linker.Instantiate(store, module));
    }
}
