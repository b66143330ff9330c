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

    /// <summary>A point in time: an RFC 3339 string in JSON (<c>timestamp</c>; <c>Timestamp</c> in GraphQL).</summary>
    Timestamp,
    Void,
    Class,
    Array,
    Nullable,
}
