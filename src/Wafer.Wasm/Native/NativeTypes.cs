using System.Runtime.InteropServices;

namespace Wafer.Wasm.Native;

// Mirrors of Wasmtime C API structs (wasmtime/extern.h, instance.h, val.h) for the calls in WasmtimeNative.

/// <summary><c>wasmtime_instance_t</c>: an instance inside a store.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RawInstance
{
    public ulong StoreId;
    public nuint Index;
}

/// <summary><c>wasmtime_func_t</c>: a function inside a store.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RawFunc
{
    public ulong StoreId;
    public nint Private;
}

/// <summary><c>wasmtime_memory_t</c>: a linear memory inside a store.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct RawMemory
{
    [FieldOffset(0)]
    public ulong StoreId;
}

/// <summary>
/// <c>wasmtime_extern_t</c>: a kind byte, then a union at offset 8. Sized generously: Wasmtime writes the whole
/// union, and a struct smaller than the native one would be overrun.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct RawExtern
{
    public const byte FuncKind = 0;
    public const byte MemoryKind = 3;

    [FieldOffset(0)]
    public byte Kind;

    [FieldOffset(8)]
    public RawFunc Func;

    [FieldOffset(8)]
    public RawMemory Memory;
}

/// <summary><c>wasmtime_val_raw_t</c>: one argument or result slot of an unchecked call.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct RawValue
{
    [FieldOffset(0)]
    public int I32;

    /// <summary>i64, and f32/f64 as their bits, share the slot's first bytes.</summary>
    [FieldOffset(0)]
    public long I64;
}
