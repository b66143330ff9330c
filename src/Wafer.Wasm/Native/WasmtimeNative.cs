using System.Runtime.InteropServices;

namespace Wafer.Wasm.Native;

/// <summary>
/// The few Wasmtime C API functions the call path uses directly, from the same native library wasmtime-dotnet
/// loads. wasmtime-dotnet 50 has no pre-instantiation, and its typed function wrappers check signatures and
/// build delegates by reflection for every new instance: together about half the cost of a fresh-instance call.
/// Error and trap pointers returned here are owned by the caller (see <see cref="WrapperAccess"/>).
/// </summary>
internal static unsafe partial class WasmtimeNative
{
    private const string Library = "wasmtime";

    [LibraryImport(Library)]
    public static partial nint wasmtime_linker_instantiate_pre(nint linker, nint module, out InstancePreHandle instancePre);

    [LibraryImport(Library)]
    public static partial nint wasmtime_instance_pre_instantiate(InstancePreHandle instancePre, nint context, out RawInstance instance, out nint trap);

    [LibraryImport(Library)]
    public static partial void wasmtime_instance_pre_delete(nint instancePre);

    [LibraryImport(Library)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool wasmtime_instance_export_get(nint context, in RawInstance instance, byte* name, nuint nameLength, out RawExtern item);

    [LibraryImport(Library)]
    public static partial nint wasmtime_func_call_unchecked(nint context, in RawFunc func, RawValue* argsAndResults, nuint length, out nint trap);

    [LibraryImport(Library)]
    public static partial byte* wasmtime_memory_data(nint context, in RawMemory memory);

    [LibraryImport(Library)]
    public static partial nuint wasmtime_memory_data_size(nint context, in RawMemory memory);
}
