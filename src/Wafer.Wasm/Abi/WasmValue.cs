namespace Wafer.Wasm.Abi;

/// <summary>One core WebAssembly value (i32, i64, f32 or f64) as 64 raw bits; the type is known from the signature.</summary>
public struct WasmValue
{
    public ulong Bits;

    public readonly int I32 => (int)Bits;

    public readonly long I64 => (long)Bits;

    public readonly float F32 => BitConverter.Int32BitsToSingle((int)Bits);

    public readonly double F64 => BitConverter.Int64BitsToDouble((long)Bits);

    public static WasmValue FromI32(int value) => new() { Bits = (uint)value };

    public static WasmValue FromI64(long value) => new() { Bits = (ulong)value };

    public static WasmValue FromF32(float value) => new() { Bits = (uint)BitConverter.SingleToInt32Bits(value) };

    public static WasmValue FromF64(double value) => new() { Bits = (ulong)BitConverter.DoubleToInt64Bits(value) };
}
