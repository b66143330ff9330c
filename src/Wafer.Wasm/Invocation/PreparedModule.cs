using Wafer.Wasm.Native;
using Wasmtime;

namespace Wafer.Wasm.Invocation;

/// <summary>
/// A module linked against the host imports once (Wasmtime's <c>InstancePre</c>), so a new instance skips
/// import resolution. Thread-safe: any number of stores may instantiate it at once.
/// </summary>
internal sealed class PreparedModule : IDisposable
{
    private nint _handle;

    public PreparedModule(Linker linker, Module module)
    {
        var error = WasmtimeNative.wasmtime_linker_instantiate_pre(WrapperAccess.Handle(linker), WrapperAccess.Handle(module), out _handle);
        GC.KeepAlive(linker);
        GC.KeepAlive(module);
        WrapperAccess.ThrowIfFailed(error, 0);
    }

    /// <summary>Instantiates into the store behind <paramref name="context"/>, running the start function.</summary>
    public RawInstance Instantiate(nint context)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        var error = WasmtimeNative.wasmtime_instance_pre_instantiate(_handle, context, out var instance, out var trap);
        WrapperAccess.ThrowIfFailed(error, trap);
        return instance;
    }

    /// <summary>Only once no call can start: the owning module is disposed after its last call.</summary>
    public void Dispose()
    {
        if (_handle != 0)
        {
            WasmtimeNative.wasmtime_instance_pre_delete(_handle);
            _handle = 0;
        }
    }
}
