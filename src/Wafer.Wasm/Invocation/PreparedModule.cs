using Wafer.Wasm.Native;
using Wasmtime;

namespace Wafer.Wasm.Invocation;

/// <summary>
/// A module linked against the host imports once (Wasmtime's <c>InstancePre</c>), so a new instance skips
/// import resolution. Thread-safe: any number of stores may instantiate it at once.
/// </summary>
internal sealed class PreparedModule : IDisposable
{
    private readonly InstancePreHandle _handle;

    public PreparedModule(Linker linker, Module module)
    {
        var error = WasmtimeNative.wasmtime_linker_instantiate_pre(WrapperAccess.Handle(linker), WrapperAccess.Handle(module), out _handle);
        GC.KeepAlive(linker);
        GC.KeepAlive(module);
        if (error != 0)
        {
            _handle.Dispose();
            WrapperAccess.ThrowIfFailed(error, 0);
        }
    }

    /// <summary>Instantiates into the store behind <paramref name="context"/>, running the start function.</summary>
    public RawInstance Instantiate(nint context)
    {
        // A disposed handle throws ObjectDisposedException when marshalled, like the wrapper's own handles.
        var error = WasmtimeNative.wasmtime_instance_pre_instantiate(_handle, context, out var instance, out var trap);
        WrapperAccess.ThrowIfFailed(error, trap);
        return instance;
    }

    public void Dispose() => _handle.Dispose();
}
