using System.Net;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.NativeGuests;

/// <summary>Typed functions written in Rust with sdk/rust (tests/guests/rust/rust-calc), over REST and GraphQL.</summary>
public sealed class RustFunctionTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await RuntimeServer.StartAsync(["rust-calc"]);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("add", """{"a":1,"b":2}""", "3")]
    [InlineData("greet", """{"name":"Ferris \"🦀\""}""", "\"Hello, Ferris \\\"🦀\\\"!\"")]
    [InlineData("sum", """{"values":[0.5,0.25,1e3]}""", "1000.75")]
    [InlineData("words", """{"text":"  split these\twords "}""", "[\"split\",\"these\",\"words\"]")]
    [InlineData("multiply", """{"a":4294967296,"b":-3}""", "-12884901888")]
    public async Task Rest_CallsTheRustFunction(string function, string arguments, string expected)
    {
        var (response, body) = await _server.PostJsonAsync("/functions/" + function, arguments);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, body.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Rest_GuestError_IsAProblemWithTheGuestsMessage()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/multiply", """{"a":9223372036854775807,"b":2}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("rust-calc/multiply failed: guest_error: multiply: the product overflows i64", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Panic_IsATrapAndItsMessageIsLogged()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/explode", "{}");
        var callId = body.GetProperty("callId").GetString();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("trap", body.GetProperty("cause").GetString());
        var lines = _server.Services.GetRequiredService<GuestLogSink>().Recent().Where(e => e.CallId == callId).ToList();
        Assert.Contains(lines, l => l.Message.Contains("boom", StringComparison.Ordinal) && l.Level == Wafer.Wasm.GuestLogLevel.Warning);
    }

    [Fact]
    public async Task GraphQL_CallsTheRustFunctions()
    {
        var query = await _server.GraphQLAsync("""{ greet(name: "GraphQL") sum(values: [1, 2]) words(text: "a b") multiply(a: 3, b: 5) }""");
        var mutation = await _server.GraphQLAsync("mutation { add(a: 40, b: 2) }");

        Assert.False(query.TryGetProperty("errors", out var errors), errors.ToString());
        Assert.Equal("""{"greet":"Hello, GraphQL!","sum":3,"words":["a","b"],"multiply":15}""", query.GetProperty("data").GetRawText());
        Assert.Equal("""{"add":42}""", mutation.GetProperty("data").GetRawText());
    }
}
