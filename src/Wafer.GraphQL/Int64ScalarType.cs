namespace Wafer.GraphQL;

/// <summary><c>Int64</c>: the ABI's <c>i64</c>.</summary>
internal sealed class Int64ScalarType() : IntegerScalarType("Int64", long.MinValue, long.MaxValue, "A 64-bit signed integer")
{
    protected override object Box(Int128 value) => (long)value;
}
