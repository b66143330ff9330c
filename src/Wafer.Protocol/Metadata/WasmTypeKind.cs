namespace Wafer.Protocol.Metadata;

/// <summary>The shape of a value crossing the guest boundary (docs/abi.md, "Type expressions").</summary>
public enum WasmTypeKind
{
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    String,
    Void,
    Class,
    Array,
    Nullable,
}
