namespace Wafer.GraphQL;

/// <summary><c>UInt</c>: the ABI's <c>u32</c>.</summary>
internal sealed class UIntScalarType() : IntegerScalarType("UInt", uint.MinValue, uint.MaxValue, "A 32-bit unsigned integer")
{
    protected override object Box(Int128 value) => (uint)value;
}
