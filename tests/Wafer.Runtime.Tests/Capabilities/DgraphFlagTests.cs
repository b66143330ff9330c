using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary><c>--dgraph URL</c>: every plugin may query that Dgraph Alpha's <c>/graphql</c> as the connection <c>dgraph</c>.</summary>
public sealed class DgraphFlagTests
{
    private static void Map(WebApplication app) =>
        app.MapPost("/graphql", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            return Results.Json(new { data = new { echoed = body.RootElement.GetProperty("query").GetString() } });
        });

    [Fact]
    public async Task DgraphFlag_GivesEveryPluginTheDgraphConnection()
    {
        await using var harness = await CapabilityHarness.StartAsync(Map, _ => """{ "name": "hostcall" }""", configure: (o, origin) => o.Dgraph = new Uri(origin));

        var reply = await harness.CallAsync("graphql.execute", new { connection = "dgraph", query = "{ queryPerson { name } }" });

        Assert.Equal("{ queryPerson { name } }", reply.Ok.GetProperty("data").GetProperty("echoed").GetString());
        Assert.Equal("POST", harness.Upstream.Last("/graphql").Method);
    }

    [Fact]
    public async Task DeclaredDgraphConnection_WinsOverTheFlag()
    {
        await using var harness = await CapabilityHarness.StartAsync(Map,
            origin => $$$"""{ "name": "hostcall", "connections": { "dgraph": { "type": "graphql", "endpoint": "{{{origin}}}/graphql?own=1" } } }""",
            configure: (o, _) => o.Dgraph = new Uri("http://127.0.0.1:9/"));

        var reply = await harness.CallAsync("graphql.execute", new { connection = "dgraph", query = "{ a }" });

        Assert.True(reply.Succeeded, reply.Error); // port 9 would have failed: the manifest's own connection was used
    }

    [Fact]
    public async Task WithoutTheFlag_DgraphIsRefused_SayingHowToGrantIt()
    {
        await using var harness = await CapabilityHarness.StartAsync(Map, _ => """{ "name": "hostcall" }""");

        var reply = await harness.CallAsync("graphql.execute", new { connection = "dgraph", query = "{ a }" });

        Assert.Equal("graphql.execute: no connection named 'dgraph' is declared in the manifest (or given to every plugin with --dgraph URL)", reply.Failure);
        Assert.Empty(harness.Upstream.Requests);
    }
}
