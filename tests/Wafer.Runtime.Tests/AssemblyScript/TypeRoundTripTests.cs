using System.Net;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.AssemblyScript;

/// <summary>Every ABI type sent to a real AssemblyScript guest and back, over REST and over GraphQL.</summary>
public sealed class TypeRoundTripTests(AssemblyScriptServer fixture) : IClassFixture<AssemblyScriptServer>
{
    private RuntimeServer Server => fixture.Server;

    private const string Person = """
        {"name":"Zoë \"Z\" \\ ☃ 😀","age":-42,"email":null,"address":{"street":"1 Main St","city":"Ghent","zip":9000},
         "friends":[{"name":"Bo","age":7,"email":"bo@example.com","address":{"street":"","city":"","zip":null},"friends":[],"scores":[],"luckyNumber":null,"active":false}],
         "scores":[1.5,-0.25,1e300],"luckyNumber":-9007199254740993,"active":true}
        """;

    public static TheoryData<string, string> Values => new()
    {
        { "echoBool", "true" },
        { "echoBool", "false" },
        { "echoI8", "-128" },
        { "echoI16", "32767" },
        { "echoI32", "-2147483648" },
        { "echoI64", "-9223372036854775808" },
        { "echoI64", "9007199254740993" },
        { "echoU8", "255" },
        { "echoU16", "65535" },
        { "echoU32", "4294967295" },
        { "echoU64", "18446744073709551615" },
        { "echoF32", "1.5" },
        { "echoF64", "-123456.789e-10" },
        { "echoString", "\"tab\\t newline\\n quote\\\" emoji 😀 nul\\u0000 end\"" },
        { "echoString", "\"\"" },
        { "echoStringArray", "[\"a\",\"\",\"ü\"]" },
        { "echoNullableString", "null" },
        { "echoNullableString", "\"x\"" },
        { "echoNullableStrings", "[\"a\",null,\"c\"]" },
        { "echoNullableStringArray", "null" },
        { "echoI32Matrix", "[[1,2],[],[-3]]" },
        { "echoNullableI32", "null" },
        { "echoNullableI32", "7" },
        { "echoNullableI64s", "[null,-1,9223372036854775807]" },
        { "echoNullableBool", "false" },
        { "echoNullableF64", "2.5" },
        { "echoU64s", "[0,18446744073709551615]" },
        { "echoPerson", Person },
        { "echoNullablePerson", "null" },
        { "echoPeople", "[" + Person + "]" },
        { "echoPeople", "null" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Rest_ValueRoundTrips(string function, string value)
    {
        var (response, body) = await Server.PostJsonAsync("/functions/" + function, "{\"" + ParameterName(function) + "\":" + value + "}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertJsonEqual(value, body.GetProperty("result"));
    }

    [Fact]
    public async Task Rest_SeveralParametersOfDifferentTypes_ArriveInOrder()
    {
        var (response, body) = await Server.PostJsonAsync("/functions/mix",
            """{"f":["x","y"],"e":18446744073709551615,"d":true,"c":0.5,"b":"s","a":-8}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = body.GetProperty("result").GetString()!;
        Assert.Contains("-8", text);
        Assert.Contains("18446744073709551615", text);
        Assert.Contains("x", text);
    }

    [Fact]
    public async Task Rest_OutOfRangeInteger_IsRefusedBeforeTheGuestRuns()
    {
        var (response, body) = await Server.PostJsonAsync("/functions/echoU8", """{"v":256}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("argument 'v' must be an integer from 0 to 255 (u8), got 256", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GraphQL_ScalarsRoundTrip()
    {
        var result = await Server.GraphQLAsync("""
            { i64: echoI64(v: 9007199254740993) u64: echoU64(v: 18446744073709551615) u32: echoU32(v: 4294967295)
              f: echoF64(v: 0.5) s: echoString(v: "😀 \"q\"") b: echoBool(v: true)
              n: echoNullableString(v: null) arr: echoNullableStrings(v: ["a", null]) m: echoI32Matrix(v: [[1], [2, 3]]) }
            """);
        Assert.False(result.TryGetProperty("errors", out var errors), errors.ToString());
        var data = result.GetProperty("data");
        Assert.Equal("9007199254740993", data.GetProperty("i64").GetRawText());
        Assert.Equal("18446744073709551615", data.GetProperty("u64").GetRawText());
        Assert.Equal(4294967295L, data.GetProperty("u32").GetInt64());
        Assert.Equal(0.5, data.GetProperty("f").GetDouble());
        Assert.Equal("😀 \"q\"", data.GetProperty("s").GetString());
        Assert.True(data.GetProperty("b").GetBoolean());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("n").ValueKind);
        AssertJsonEqual("""["a",null]""", data.GetProperty("arr"));
        AssertJsonEqual("[[1],[2,3]]", data.GetProperty("m"));
    }

    [Fact]
    public async Task GraphQL_NestedInputAndOutputObjects_RoundTripThroughVariables()
    {
        var person = JsonDocument.Parse(Person).RootElement;
        var result = await Server.GraphQLAsync(
            """
            query($p: PersonInput!) { echoPerson(p: $p) { name age email active luckyNumber scores
              address { street city zip } friends { name email address { zip } } } }
            """.Replace("PersonInput", PersonInputName(), StringComparison.Ordinal),
            new { p = person });
        Assert.False(result.TryGetProperty("errors", out var errors), errors.ToString());
        var echoed = result.GetProperty("data").GetProperty("echoPerson");
        Assert.Equal("Zoë \"Z\" \\ ☃ 😀", echoed.GetProperty("name").GetString());
        Assert.Equal(-42, echoed.GetProperty("age").GetInt32());
        Assert.Equal("-9007199254740993", echoed.GetProperty("luckyNumber").GetRawText());
        Assert.Equal(9000, echoed.GetProperty("address").GetProperty("zip").GetInt32());
        Assert.Equal("bo@example.com", echoed.GetProperty("friends")[0].GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, echoed.GetProperty("friends")[0].GetProperty("address").GetProperty("zip").ValueKind);
        Assert.False(echoed.TryGetProperty("friends", out var f) && f[0].TryGetProperty("age", out _), "unselected fields must not be returned");
    }

    private string PersonInputName()
    {
        // 'types' and 'naming' both define a Person with different fields, so the schema qualifies both.
        var sdl = Server.Client.GetStringAsync("/graphql/schema").GetAwaiter().GetResult();
        return sdl.Contains("input Types_PersonInput", StringComparison.Ordinal) ? "Types_PersonInput" : "PersonInput";
    }

    private string ParameterName(string function) =>
        Server.Catalog.Current.ByName[function].Metadata.Parameters[0].Name;

    private static void AssertJsonEqual(string expected, JsonElement actual)
    {
        var left = JsonDocument.Parse(expected).RootElement;
        Assert.True(JsonEquals(left, actual), $"expected {left.GetRawText()}, got {actual.GetRawText()}");
    }

    private static bool JsonEquals(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => a.GetRawText() == b.GetRawText() || (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) && x == y) || a.GetDouble() == b.GetDouble(),
        (JsonValueKind.Array, JsonValueKind.Array) => a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => JsonEquals(p.First, p.Second)),
        (JsonValueKind.Object, JsonValueKind.Object) => a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var v) && JsonEquals(p.Value, v)),
        (JsonValueKind.String, JsonValueKind.String) => a.GetString() == b.GetString(),
        _ => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText(),
    };
}
