using Microsoft.Win32.SafeHandles;

namespace Wafer.Wasm.Native;

/// <summary>
/// Owns a <c>wasmtime_instance_pre_t</c>. A safe handle so that disposing it while an instantiation is still
/// running defers the delete until that call returns, as wasmtime-dotnet does for its own handles.
/// </summary>
internal sealed class InstancePreHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public InstancePreHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        WasmtimeNative.wasmtime_instance_pre_delete(handle);
        return true;
    }
}
