using Wafer.GraphQL;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Tests.GraphQL;

public sealed class FieldResolutionTests
{
    private const string Metadata = """
        {"abi":1,"functions":[
          {"name":"greet","parameters":[{"name":"name","type":"string"},{"name":"times","type":"u8"},{"name":"note","type":"string?"}],"result":"string"},
          {"name":"addPerson","parameters":[{"name":"person","type":"Person"},{"name":"tags","type":"string[]?"}],"result":"void"},
          {"name":"big","parameters":[{"name":"a","type":"i64"},{"name":"b","type":"u64"},{"name":"c","type":"u32"},{"name":"d","type":"f32"},{"name":"e","type":"bool"}],"result":"u64"},
          {"name":"getPerson","parameters":[{"name":"id","type":"i32"}],"result":"Person"},
          {"name":"fails","result":"string"},
          {"name":"gone","result":"string"}],
         "types":[
          {"name":"Person","fields":[{"name":"name","type":"string"},{"name":"age","type":"u8?"},{"name":"home","type":"Place?"},{"name":"ids","type":"i64[]"}]},
          {"name":"Place","fields":[{"name":"lat","type":"f64"}]}]}
        """;

    private readonly GraphQLTestSchema _schema = new(Answer, ("hello", Metadata));

    private static CallOutcome? Answer(SchemaFunction function, string arguments) => function.Function.Name switch
    {
        "greet" => FakeCaller.Ok("\"hi\""),
        "addPerson" => FakeCaller.Ok("null"),
        "big" => FakeCaller.Ok("18446744073709551615"),
        "getPerson" when arguments == "[1]" => FakeCaller.Ok("""{"ids":[9007199254740993,-1],"name":"Zoë","home":{"lat":1.5},"extra":true}"""),
        "getPerson" => FakeCaller.Ok("""{"name":5}"""),
        "fails" => FakeCaller.Failed(CallStatus.Trap, "wasm trap: unreachable"),
        _ => null,
    };

    [Fact]
    public async Task Arguments_BecomePositionalJsonWithNullForOmittedNullables()
    {
        var (result, json) = await _schema.ExecuteAsync("""{ greet(times: 3, name: "Zoë \"Z\" <b>") }""");

        Assert.Equal("""{"data":{"greet":"hi"}}""", json);
        Assert.True(result.Executed);
        Assert.Equal(["""["Zoë \"Z\" <b>",3,null]"""], _schema.Caller("hello/greet").Calls);
    }

    [Fact]
    public async Task InputObjects_CarryEveryFieldInDeclaredOrder()
    {
        var (_, json) = await _schema.ExecuteAsync("""mutation { addPerson(person: {ids: [1, 2], name: "Ann", home: {lat: 2}}) }""");

        Assert.Equal("""{"data":{"addPerson":null}}""", json);
        Assert.Equal(["""[{"name":"Ann","age":null,"home":{"lat":2},"ids":[1,2]},null]"""], _schema.Caller("hello/addPerson").Calls);
    }

    [Fact]
    public async Task Variables_AreWrittenLikeLiterals()
    {
        var (_, json) = await _schema.ExecuteAsync(
            "mutation($p: PersonInput!, $t: [String!]) { addPerson(person: $p, tags: $t) }",
            """{"p": {"name": "Bo", "age": 7, "ids": [9223372036854775807]}, "t": ["x"]}""");

        Assert.Equal("""{"data":{"addPerson":null}}""", json);
        Assert.Equal(["""[{"name":"Bo","age":7,"home":null,"ids":[9223372036854775807]},["x"]]"""], _schema.Caller("hello/addPerson").Calls);
    }

    [Fact]
    public async Task WideIntegers_RoundTripWithoutLoss()
    {
        var (_, json) = await _schema.ExecuteAsync("{ big(a: -9223372036854775808, b: 18446744073709551615, c: 4294967295, d: 1.5, e: true) }");
        Assert.Equal("""{"data":{"big":18446744073709551615}}""", json);
        Assert.Equal(["[-9223372036854775808,18446744073709551615,4294967295,1.5,true]"], _schema.Caller("hello/big").Calls);

        var (_, fromVariables) = await _schema.ExecuteAsync(
            "query($a: Int64!, $b: UInt64!) { big(a: $a, b: $b, c: 0, d: 0, e: false) }",
            """{"a": 9223372036854775807, "b": 18446744073709551615}""");
        Assert.Equal("""{"data":{"big":18446744073709551615}}""", fromVariables);
        Assert.Equal("[9223372036854775807,18446744073709551615,0,0,false]", _schema.Caller("hello/big").Calls[^1]);
    }

    [Theory]
    [InlineData("{ big(a: 9223372036854775808, b: 0, c: 0, d: 0, e: true) }", "Int64")]
    [InlineData("{ big(a: 0, b: -1, c: 0, d: 0, e: true) }", "UInt64")]
    [InlineData("{ big(a: 0, b: 0, c: 4294967296, d: 0, e: true) }", "UInt")]
    [InlineData("{ big(a: \"1\", b: 0, c: 0, d: 0, e: true) }", "Int64")]
    public async Task WideIntegerLiteralsOutOfRange_AreValidationErrors(string query, string scalar)
    {
        var (result, json) = await _schema.ExecuteAsync(query);

        Assert.False(result.Executed);
        Assert.Contains($"Expected type '{scalar}'", json);
        Assert.Empty(_schema.Caller("hello/big").Calls);
    }

    [Fact]
    public async Task WideIntegerVariableOutOfRange_IsARequestErrorNamingTheScalar()
    {
        var (result, json) = await _schema.ExecuteAsync(
            "query($b: UInt64!) { big(a: 0, b: $b, c: 0, d: 0, e: false) }", """{"b": 18446744073709551616}""");

        Assert.False(result.Executed);
        Assert.Contains("Variable '$b' is invalid. Unable to convert '18446744073709551616' to 'UInt64'", json);
    }

    [Fact]
    public async Task NarrowIntegerOutOfRange_FailsTheFieldWithoutCallingTheGuest()
    {
        var (result, _) = await _schema.ExecuteAsync("""{ greet(name: "x", times: 256) }""");

        var error = Assert.IsType<FunctionCallError>(Assert.Single(result.Errors!));
        Assert.Equal("bad_arguments", error.Code);
        Assert.Equal("hello/greet failed: bad_arguments: argument 'times' must be an integer from 0 to 255 (u8), got 256", error.Message);
        Assert.Empty(_schema.Caller("hello/greet").Calls);
    }

    [Fact]
    public async Task ClassResults_ResolveSelectedFieldsOnly()
    {
        var (_, json) = await _schema.ExecuteAsync("{ person(id: 1) { name ids home { lat } age } }");

        Assert.Equal("""{"data":{"person":{"name":"Zoë","ids":[9007199254740993,-1],"home":{"lat":1.5},"age":null}}}""", json);
    }

    [Fact]
    public async Task FailedCall_IsAnErrorOnItsFieldAndOtherFieldsStillResolve()
    {
        var (result, json) = await _schema.ExecuteAsync("""{ a: greet(name: "x", times: 1) fails b: greet(name: "y", times: 2) }""");

        Assert.Contains("\"data\":{\"a\":\"hi\",\"fails\":null,\"b\":\"hi\"}", json);
        var error = Assert.IsType<FunctionCallError>(Assert.Single(result.Errors!));
        Assert.Equal("hello/fails failed: trap: wasm trap: unreachable", error.Message);
        Assert.Equal("trap", error.Code);
        Assert.Equal("hello", error.Extensions!["plugin"]);
        Assert.Equal("fails", error.Extensions["function"]);
        Assert.Equal("call-2", error.Extensions["callId"]);
        Assert.Equal(["fails"], error.Path!.Select(p => p.ToString()));
    }

    [Fact]
    public async Task ResultOfTheWrongShape_IsABadResultError()
    {
        var (result, json) = await _schema.ExecuteAsync("{ person(id: 2) { name } }");

        Assert.Contains("\"data\":{\"person\":null}", json);
        var error = Assert.IsType<FunctionCallError>(Assert.Single(result.Errors!));
        Assert.Equal("bad_result", error.Code);
        Assert.StartsWith("hello/getPerson failed: bad_result: expected string", error.Message);
    }

    [Fact]
    public async Task UnloadedFunction_IsAnUnavailableError()
    {
        var (result, _) = await _schema.ExecuteAsync("{ gone }");

        var error = Assert.IsType<FunctionCallError>(Assert.Single(result.Errors!));
        Assert.Equal("unavailable", error.Code);
        Assert.False(error.Extensions!.ContainsKey("callId"));
    }

    [Fact]
    public async Task Aliases_CallTheFunctionOncePerField()
    {
        var (_, json) = await _schema.ExecuteAsync("""{ one: person(id: 1) { name } two: person(id: 1) { name } }""");

        Assert.Equal("""{"data":{"one":{"name":"Zoë"},"two":{"name":"Zoë"}}}""", json);
        Assert.Equal(2, _schema.Caller("hello/getPerson").Calls.Count);
    }
}
