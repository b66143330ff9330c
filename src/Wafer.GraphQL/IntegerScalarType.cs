using System.Globalization;
using System.Numerics;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Wafer.GraphQL;

/// <summary>
/// An integer scalar wider than GraphQL's 32-bit <c>Int</c>, sent as a JSON number. Accepts integer literals and
/// integer variables in range; anything else is refused with a message naming the scalar and its range.
/// </summary>
internal abstract class IntegerScalarType : ScalarGraphType
{
    private readonly Int128 _min;
    private readonly Int128 _max;

    protected IntegerScalarType(string name, Int128 min, Int128 max, string what)
    {
        Name = name;
        _min = min;
        _max = max;
        Description = $"{what}, sent as a JSON number: an integer from {min} to {max}.";
    }

    /// <summary>Boxes an in-range value as the CLR type the resolvers expect (long, uint or ulong).</summary>
    protected abstract object Box(Int128 value);

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLIntValue i when Int128.TryParse(i.Value.Span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => InRange(n),
        GraphQLIntValue i => throw OutOfRange(i.Value.ToString()),
        _ => ThrowLiteralConversionError(value, $"{Name} needs an integer from {_min} to {_max}"),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        _ when TryInteger(value, out var n) => InRange(n),
        BigInteger b => throw OutOfRange(b.ToString(CultureInfo.InvariantCulture)),
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        _ when TryInteger(value, out var n) && n >= _min && n <= _max => Box(n),
        _ => ThrowSerializationError(value),
    };

    /// <summary>Reads any CLR integer (and integral BigInteger) GraphQL.NET or a resolver may hand over.</summary>
    internal static bool TryInteger(object value, out Int128 result)
    {
        switch (value)
        {
            case int v: result = v; return true;
            case long v: result = v; return true;
            case uint v: result = v; return true;
            case ulong v: result = v; return true;
            case short v: result = v; return true;
            case ushort v: result = v; return true;
            case byte v: result = v; return true;
            case sbyte v: result = v; return true;
            case BigInteger v when v >= (BigInteger)Int128.MinValue && v <= (BigInteger)Int128.MaxValue: result = (Int128)v; return true;
            default: result = default; return false;
        }
    }

    private object InRange(Int128 n) => n >= _min && n <= _max ? Box(n) : throw OutOfRange(n.ToString(CultureInfo.InvariantCulture));

    private InvalidOperationException OutOfRange(string value) =>
        new($"{value} is out of range for {Name}: it must be an integer from {_min} to {_max}");
}
