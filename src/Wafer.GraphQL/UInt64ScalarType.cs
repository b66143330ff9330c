namespace Wafer.GraphQL;

/// <summary><c>UInt64</c>: the ABI's <c>u64</c>.</summary>
internal sealed class UInt64ScalarType() : IntegerScalarType("UInt64", ulong.MinValue, ulong.MaxValue, "A 64-bit unsigned integer")
{
    protected override object Box(Int128 value) => (ulong)value;
}
