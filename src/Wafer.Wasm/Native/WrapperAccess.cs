using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wasmtime;

namespace Wafer.Wasm.Native;

/// <summary>
/// The wasmtime-dotnet internals the direct calls need: native handles, and the conversions of native errors
/// and traps into its exceptions, so callers see exactly what the wrapper's own calls throw. Pinned to the
/// Wasmtime package version; a renamed member fails loudly on first use (every invoke test covers it).
/// </summary>
internal static class WrapperAccess
{
    /// <summary>The store's <c>wasmtime_context_t*</c>, fixed for the store's lifetime.</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "contextHandle")]
    public static extern ref readonly nint Context(Store store);

    /// <summary>Throws the exception wasmtime-dotnet throws for <paramref name="error"/> or <paramref name="trap"/>, taking ownership.</summary>
    public static void ThrowIfFailed(nint error, nint trap)
    {
        if (error != 0)
        {
            throw FromOwnedError(null, error);
        }

        if (trap != 0)
        {
            throw FromOwnedTrap(null, trap, delete: true);
        }
    }

    /// <summary>The native linker handle; read once per module by reflection (the field type is internal).</summary>
    public static nint Handle(Linker linker) => HandleField(linker);

    /// <summary>The native module handle; read once per module by reflection (the field type is internal).</summary>
    public static nint Handle(Wasmtime.Module module) => HandleField(module);

    private static nint HandleField(object owner)
    {
        var field = owner.GetType().GetField("handle", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new MissingFieldException(owner.GetType().FullName, "handle");
        return ((SafeHandle)field.GetValue(owner)!).DangerousGetHandle();
    }

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "FromOwnedError")]
    private static extern WasmtimeException FromOwnedError(WasmtimeException? type, nint error);

    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "FromOwnedTrap")]
    private static extern TrapException FromOwnedTrap(TrapException? type, nint trap, bool delete);
}
