using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Tests.Protocol;

public sealed class WasmTypeTests
{
    [Theory]
    [InlineData("string", "string")]
    [InlineData("i64", "i64")]
    [InlineData(" Person ", "Person")]
    [InlineData("string?[]", "string?[]")]
    [InlineData("string[]?", "string[]?")]
    [InlineData("Person[][]?", "Person[][]?")]
    public void Parse_ValidExpression_RoundTrips(string expression, string expected) =>
        Assert.Equal(expected, WasmType.Parse(expression).ToString());

    [Fact]
    public void Parse_SuffixesApplyLeftToRight()
    {
        var type = WasmType.Parse("string?[]");
        Assert.Equal(WasmTypeKind.Array, type.Kind);
        Assert.Equal(WasmTypeKind.Nullable, type.Element!.Kind);
        Assert.Equal(WasmTypeKind.String, type.Element.Element!.Kind);
        Assert.True(WasmType.Parse("string[]?").IsNullable);
    }

    [Theory]
    [InlineData("", "invalid base type")]
    [InlineData("string??", "repeats '?'")]
    [InlineData("void[]", "array of void")]
    [InlineData("9lives", "invalid base type")]
    [InlineData("Map<string,string>", "invalid base type")]
    [InlineData("string]", "unbalanced")]
    public void Parse_InvalidExpression_NamesTheProblem(string expression, string fragment)
    {
        var error = Assert.Throws<FormatException>(() => WasmType.Parse(expression));
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Parse_NestedDeeperThanTheLimit_Refused()
    {
        var deepest = WasmType.Parse("string" + string.Concat(Enumerable.Repeat("[]", WasmType.MaxNesting)));
        Assert.Equal("string" + string.Concat(Enumerable.Repeat("[]", WasmType.MaxNesting)), deepest.ToString());

        // 100,000 levels would overflow the stack of whatever walks the type (the GraphQL schema, the value checker).
        var error = Assert.Throws<FormatException>(() => WasmType.Parse("string" + string.Concat(Enumerable.Repeat("[]?", 50_000))));
        Assert.Contains("nests arrays and nullables more than 32 deep", error.Message);
        Assert.True(error.Message.Length < 200);
    }
}
