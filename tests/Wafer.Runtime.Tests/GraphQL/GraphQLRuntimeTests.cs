using System.Net.Http.Json;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.GraphQLClients;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>
/// The runtime's /graphql as clients see it, over loopback from a real plugins folder: every plugin served beside an
/// odd one, the GraphQL-over-HTTP audit suite, and graphql-js's introspection.
/// </summary>
public sealed class GraphQLRuntimeTests
{
    [Fact]
    public async Task StartWithAPluginWhoseClassHasNoFields_EveryPluginServed()
    {
        await using var server = await RuntimeServer.StartAsync(["echo", "odd-classes"]);

        var body = await server.GraphQLAsync("{ hello blank { __typename _empty } takeBlank(value: {}) }");

        Assert.Equal("""{"data":{"hello":"hello","blank":{"__typename":"Blank","_empty":null},"takeBlank":"ok"}}""", body.GetRawText());
        var plugins = await server.Client.GetFromJsonAsync<JsonElement>("/api/plugins");
        var odd = plugins.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "odd-classes").GetProperty("graphql");
        Assert.Equal("served", odd.GetProperty("state").GetString());
        Assert.StartsWith("chain: argument 'node' uses class 'Link', which contains itself through non-null fields (Link.next → Link)",
            Assert.Single(odd.GetProperty("leftOut").EnumerateArray()).GetString());
        var echo = plugins.GetProperty("plugins").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "echo").GetProperty("graphql");
        Assert.Equal("""{"state":"served","reason":null,"leftOut":[]}""", echo.GetRawText());
    }

    [Fact]
    public async Task PluginAddedAfterAnOddOne_AppearsInTheSchema()
    {
        await using var server = await RuntimeServer.StartAsync(["odd-classes"]);
        Assert.Contains("Cannot query field 'hello'", (await server.GraphQLAsync("{ hello }")).GetRawText());

        RuntimeServer.CopyGuest("echo", server.PluginsPath);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement body;
        do
        {
            await Task.Delay(50);
            body = await server.GraphQLAsync("{ hello blank { __typename } }");
        }
        while (body.TryGetProperty("errors", out _) && DateTime.UtcNow < deadline);

        Assert.Equal("""{"data":{"hello":"hello","blank":{"__typename":"Blank"}}}""", body.GetRawText());
    }

    [Fact]
    public async Task AuditSuite_EveryMustPasses()
    {
        await using var server = await RuntimeServer.StartAsync(["hello"]);

        var results = await GraphQLClients.AuditAsync(new Uri(server.Client.BaseAddress!, "/graphql"));

        foreach (var result in results)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        }

        Assert.True(results.Count >= 60, $"only {results.Count} audits ran");
        Assert.Empty(results.Where(r => r.IsMust && !r.Passed).Select(r => r.ToString()));
    }

    [Fact]
    public async Task GraphqlJsIntrospection_BuildsAndValidatesTheSchema()
    {
        await using var server = await RuntimeServer.StartAsync(["hello", "odd-classes", "types"]);

        var result = await GraphQLClients.IntrospectAsync(new Uri(server.Client.BaseAddress!, "/graphql"));

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("errors").ValueKind);
        Assert.Equal("[]", result.GetProperty("validation").GetRawText());
        var directives = result.GetProperty("directives").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!, d => d);
        Assert.Equal(["deprecated", "include", "oneOf", "skip", "specifiedBy"], directives.Keys.Order());
        Assert.Equal("[\"SCALAR\"]", directives["specifiedBy"].GetProperty("locations").GetRawText());
        Assert.False(directives["skip"].GetProperty("isRepeatable").GetBoolean());
        var sdl = result.GetProperty("sdl").GetString()!;
        Assert.Contains("type Blank {", sdl);
        Assert.Contains("greet(name: String!): String", sdl);
    }
}
