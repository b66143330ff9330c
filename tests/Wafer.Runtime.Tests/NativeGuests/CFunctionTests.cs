using System.Net;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.NativeGuests;

/// <summary>Typed functions written in C with sdk/c (tests/guests/c/c-calc.c), over REST and GraphQL.</summary>
public sealed class CFunctionTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await RuntimeServer.StartAsync(["c-calc"]);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("add", """{"a":1,"b":2}""", "3")]
    [InlineData("add", """{"a":2147483647,"b":1}""", "-2147483648")]
    [InlineData("greet", """{"name":"wörld \"quoted\" \\ \n"}""", "\"Hello, wörld \\\"quoted\\\" \\\\ \\n!\"")]
    [InlineData("greet", """{"name":"\ud83d\ude00"}""", "\"Hello, 😀!\"")]
    [InlineData("sum", """{"values":[1,2.5,-0.25]}""", "3.25")]
    [InlineData("sum", """{"values":[0.1,0.2]}""", "0.30000000000000004")]
    [InlineData("sum", """{"values":[]}""", "0")]
    [InlineData("repeat", """{"text":"ab","times":3}""", "[\"ab\",\"ab\",\"ab\"]")]
    [InlineData("negate", """{"value":9007199254740993}""", "-9007199254740993")]
    [InlineData("point", """{"x":3,"y":4}""", "{\"x\":3,\"y\":4}")]
    [InlineData("length", """{"p":{"y":4,"x":3}}""", "5")]
    public async Task Rest_CallsTheCFunction(string function, string arguments, string expected)
    {
        var (response, body) = await _server.PostJsonAsync("/functions/" + function, arguments);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, body.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Rest_GuestError_IsAProblemWithTheGuestsMessage()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/divide", """{"a":1,"b":0}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("guest_error", body.GetProperty("cause").GetString());
        Assert.Equal("c-calc/divide failed: guest_error: division by zero", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Rest_BadArguments_AreRefusedBeforeTheGuestRuns()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/add", """{"a":"one","b":2}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("argument 'a' must be an integer", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GraphQL_CallsTheCFunctions()
    {
        var query = await _server.GraphQLAsync("""{ greet(name: "GraphQL") sum(values: [1, 2, 3.5]) repeat(text: "x", times: 2) point(x: 1.5, y: -2) { x y } }""");
        var mutation = await _server.GraphQLAsync("mutation { add(a: 40, b: 2) }");

        Assert.False(query.TryGetProperty("errors", out var errors), errors.ToString());
        Assert.Equal("""{"greet":"Hello, GraphQL!","sum":6.5,"repeat":["x","x"],"point":{"x":1.5,"y":-2}}""", query.GetProperty("data").GetRawText());
        Assert.Equal("""{"add":42}""", mutation.GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Introspection_ShowsTheCMetadata()
    {
        var plugin = JsonDocument.Parse(await _server.Client.GetStringAsync("/api/plugins/c-calc")).RootElement;

        Assert.Equal("functions", plugin.GetProperty("type").GetString());
        Assert.Equal("c/0.1.0", plugin.GetProperty("sdk").GetString());
        Assert.Equal("Adds two numbers.", plugin.GetProperty("functions")[0].GetProperty("doc").GetString());
    }
}
