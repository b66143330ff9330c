namespace Wafer.Wasm.Abi;

/// <summary>The core WebAssembly value types a host import or an export of an adapted module may use.</summary>
public enum WasmValueType
{
    I32,
    I64,
    F32,
    F64,
}
