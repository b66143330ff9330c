using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Wafer.Protocol.Routes;
using Wafer.Tests.GraphQLClients;

namespace Wafer.Gateway.Tests;

/// <summary>
/// The gateway's merged /graphql as clients see it: the GraphQL-over-HTTP audit suite, graphql-js's introspection,
/// a deployment with odd classes beside others, and the request deadline over forwarded calls.
/// </summary>
public sealed class GraphQLClientsTests
{
    /// <summary>A class with no fields, and an argument class that contains itself through a non-null field.</summary>
    private const string OddMetadata = """
        { "abi": 1, "functions": [
            { "name": "getBlank", "result": "Blank" },
            { "name": "chain", "parameters": [ { "name": "node", "type": "Link" } ], "result": "string" } ],
          "types": [
            { "name": "Blank", "fields": [] },
            { "name": "Link", "fields": [ { "name": "next", "type": "Link" } ] } ] }
        """;

    [Fact]
    public async Task AuditSuite_EveryMustPasses()
    {
        await using var stub = await StubRuntime.StartAsync("one");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["hello"], [stub.Url]));

        var results = await GraphQLClients.AuditAsync(new Uri(gateway.Client.BaseAddress!, "/graphql"));

        foreach (var result in results)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(result.ToString());
        }

        Assert.True(results.Count >= 60, $"only {results.Count} audits ran");
        Assert.Empty(results.Where(r => r.IsMust && !r.Passed).Select(r => r.ToString()));
    }

    [Fact]
    public async Task GraphqlJsIntrospection_BuildsAndValidatesTheMergedSchema()
    {
        await using var stub = await StubRuntime.StartAsync("one");
        await using var gateway = await GatewayHost.StartAsync();
        PublishWithOdd(gateway, stub.Url);

        var result = await GraphQLClients.IntrospectAsync(new Uri(gateway.Client.BaseAddress!, "/graphql"));

        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("errors").ValueKind);
        Assert.Equal("[]", result.GetProperty("validation").GetRawText());
        Assert.Equal(
            ["deprecated", "include", "oneOf", "skip", "specifiedBy"],
            result.GetProperty("directives").EnumerateArray().Select(d => d.GetProperty("name").GetString()).Order());
        var sdl = result.GetProperty("sdl").GetString()!;
        Assert.Contains("type Blank {", sdl);
        Assert.Contains("hello(name: String!): String", sdl);
        Assert.DoesNotContain("chain(", sdl);
    }

    [Fact]
    public async Task DeploymentWithOddClasses_EveryDeploymentKeepsItsFields()
    {
        await using var stub = await StubRuntime.StartAsync("one");
        await using var gateway = await GatewayHost.StartAsync();
        PublishWithOdd(gateway, stub.Url);

        using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ hello(name: \"x\") __type(name: \"Blank\") { fields { name } } }"}"""));

        Assert.Equal(
            """{"data":{"hello":"one:/functions/web/hello","__type":{"fields":[{"name":"_empty"}]}}}""",
            await response.Content.ReadAsStringAsync());
        var sdl = await gateway.Client.GetStringAsync("/graphql/schema");
        Assert.Contains("# note: function 'odd/chain' is not exposed: argument 'node' uses class 'Link'", sdl);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task ReplicaSlowerThanTheDeadline_FieldFailsWithDeadlineExceeded()
    {
        await using var slow = await StubRuntime.StartAsync("slow", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
            await context.Response.WriteAsync("""{"result":"late"}""");
        });
        await using var gateway = await GatewayHost.StartAsync(o => o.GraphQL.RequestTimeout = TimeSpan.FromMilliseconds(300));
        gateway.Publish(1, ("web", ["hello"], [slow.Url]));
        var clock = Stopwatch.StartNew();

        using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ a: hello(name: \"x\") b: hello(name: \"y\") }"}"""));

        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("""{"a":null,"b":null}""", body.GetProperty("data").GetRawText());
        Assert.All(body.GetProperty("errors").EnumerateArray(), e => Assert.Equal("deadline_exceeded", e.GetProperty("extensions").GetProperty("code").GetString()));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}: the response waited for the replica");
    }

    private static void PublishWithOdd(GatewayHost gateway, string url) =>
        gateway.Routes.Publish(new RouteDocument(1,
        [
            GatewayHost.Deployment("web", ["hello"], [url]),
            new DeploymentRoutes("odd", "odd:1", JsonDocument.Parse(OddMetadata).RootElement.Clone(), [], [new ReplicaAddress("odd-rt-0", "rt-0", url)]),
        ]));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
