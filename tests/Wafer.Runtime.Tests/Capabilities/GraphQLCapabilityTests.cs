using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary><c>graphql.execute</c> against a stand-in GraphQL server.</summary>
public sealed class GraphQLCapabilityTests : IAsyncLifetime
{
    private const string Token = "dgraph-token-1c4e77";
    private CapabilityHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(Map, origin => $$$"""
            {
              "name": "hostcall",
              "connections": {
                "dgraph": { "type": "graphql", "endpoint": "{{{origin}}}/graphql", "headers": { "X-Auth-Token": "{{TOKEN}}" } },
                "failing": { "type": "graphql", "endpoint": "{{{origin}}}/broken" },
                "errors": { "type": "graphql", "endpoint": "{{{origin}}}/errors" },
                "db": { "type": "postgresql", "connString": "Host=127.0.0.1" }
              }
            }
            """, dotEnv: $"WAFER_DGRAPH_TOKEN={Token}\n");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static void Map(WebApplication app)
    {
        app.MapPost("/graphql", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            var root = body.RootElement;
            return Results.Json(new
            {
                data = new
                {
                    query = root.GetProperty("query").GetString(),
                    variables = root.TryGetProperty("variables", out var v) ? v.Clone() : (JsonElement?)null,
                    token = c.Request.Headers["X-Auth-Token"].ToString(),
                },
            });
        });
        app.MapPost("/errors", () => Results.Json(new { errors = new[] { new { message = "Cannot query field \"nope\"" } } }, statusCode: 400));
        app.MapPost("/broken", () => Results.Text("bad gateway", statusCode: 502));
    }

    [Fact]
    public async Task Execute_PostsQueryAndVariablesWithHeaders_ReturnsResponseAsIs()
    {
        var reply = await _harness.CallAsync("graphql.execute", new
        {
            connection = "dgraph",
            query = "query($id: ID!) { getPerson(id: $id) { name } }",
            variables = new { id = "0x1" },
        });
        var data = reply.Ok.GetProperty("data");
        Assert.Equal("query($id: ID!) { getPerson(id: $id) { name } }", data.GetProperty("query").GetString());
        Assert.Equal("0x1", data.GetProperty("variables").GetProperty("id").GetString());
        Assert.Equal("[redacted]", data.GetProperty("token").GetString());
        Assert.Equal(Token, _harness.Upstream.Last("/graphql").Headers["X-Auth-Token"]);
        Assert.DoesNotContain(Token, reply.RawBody + _harness.Logs.All);
    }

    [Fact]
    public async Task Execute_GraphQLErrors_ArePassedThrough()
    {
        var reply = await _harness.CallAsync("graphql.execute", new { connection = "errors", query = "{ nope }" });
        Assert.Equal("Cannot query field \"nope\"", reply.Ok.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"connection":"failing","query":"{ a }"}""", "graphql.execute: connection 'failing' answered 502 Bad Gateway")]
    [InlineData("""{"connection":"db","query":"{ a }"}""", "graphql.execute: connection 'db' is a postgresql connection, not graphql")]
    [InlineData("""{"connection":"missing","query":"{ a }"}""", "graphql.execute: no connection named 'missing' is declared in the manifest")]
    [InlineData("""{"connection":"dgraph"}""", "graphql.execute: \"query\" is missing")]
    [InlineData("""{"connection":"dgraph","query":"{ a }","variables":[1]}""", "graphql.execute: \"variables\" must be a JSON object or null")]
    public async Task Execute_Failure_SaysWhatIsWrong(string request, string expected)
    {
        var reply = await _harness.CallAsync("graphql.execute", request);
        Assert.Equal(expected, reply.Failure);
    }
}
