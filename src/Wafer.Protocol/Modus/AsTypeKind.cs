namespace Wafer.Protocol.Modus;

/// <summary>The shapes of AssemblyScript values a Modus module's metadata names.</summary>
public enum AsTypeKind
{
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
    String,
    ArrayBuffer,
    TypedArray,
    Array,
    Map,
    Date,
    Class,
}
