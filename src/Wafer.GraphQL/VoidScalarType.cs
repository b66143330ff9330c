using GraphQL.Types;
using GraphQLParser.AST;

namespace Wafer.GraphQL;

/// <summary><c>Void</c>: the result of a function that returns nothing; always <c>null</c>.</summary>
internal sealed class VoidScalarType : ScalarGraphType
{
    public VoidScalarType()
    {
        Name = "Void";
        Description = "No value: the function returns nothing. Always null.";
    }

    public override object? ParseLiteral(GraphQLValue value) =>
        value is GraphQLNullValue ? null : ThrowLiteralConversionError(value, "Void accepts only null");

    public override object? ParseValue(object? value) => value is null ? null : ThrowValueConversionError(value);

    public override object? Serialize(object? value) => null;
}
