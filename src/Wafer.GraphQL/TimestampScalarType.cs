using GraphQL.Types;
using GraphQLParser.AST;
using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary><c>Timestamp</c>: a point in time as RFC 3339 text (<c>2024-12-31T23:59:59.999Z</c>), Modus's name for it.</summary>
internal sealed class TimestampScalarType : ScalarGraphType
{
    public TimestampScalarType()
    {
        Name = "Timestamp";
        Description = "A point in time as RFC 3339 text, like 2024-12-31T23:59:59.999Z.";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => Check((string)s.Value),
        _ => ThrowLiteralConversionError(value, "Timestamp needs an RFC 3339 string"),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => Check(s),
        DateTimeOffset d => Timestamps.Format(d),
        DateTime d => Timestamps.Format(new DateTimeOffset(d.ToUniversalTime())),
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => ThrowSerializationError(value),
    };

    private static string Check(string text) =>
        Timestamps.TryParse(text, out _)
            ? text
            : throw new InvalidOperationException($"'{text}' is not a Timestamp: it must be RFC 3339 text like 2024-12-31T23:59:59.999Z");
}
