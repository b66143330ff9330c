using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Wafer.Gateway.Tests;

/// <summary>The gateway's GraphQL schema: fields of every deployment, resolved by a call to a replica.</summary>
public sealed class GraphQLTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Query_FieldsOfTwoDeployments_EachCalledOnItsReplicaWithNamedArguments()
    {
        await using var one = await StubRuntime.StartAsync("one");
        await using var two = await StubRuntime.StartAsync("two");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("first", ["hello"], [one.Url]), ("second", ["bye"], [two.Url]));

        using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ hello(name: \"x\") bye(name: \"y\") }"}"""));

        Assert.Equal("""{"data":{"hello":"one:/functions/first/hello","bye":"two:/functions/second/bye"}}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"name":"x"}""", one.LastBody);
        Assert.Equal("""{"name":"y"}""", two.LastBody);
    }

    [Fact]
    public async Task Query_RuntimeRefusesTheCall_FieldErrorWithTheRuntimesCause()
    {
        await using var failing = await StubRuntime.StartAsync("f", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.Headers["X-Wafer-Call-Id"] = "call-9";
            await context.Response.WriteAsync("""{"cause":"trap","detail":"web/hello failed: trap: unreachable"}""");
        });
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["hello"], [failing.Url]));

        using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ hello(name: \"x\") }"}"""));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("web/hello failed: trap: unreachable", error.GetProperty("message").GetString());
        Assert.Equal("trap", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("call-9", error.GetProperty("extensions").GetProperty("callId").GetString());
    }

    [Fact]
    public async Task Query_ReplicaTurnsTheCallAwayUnrun_ResolvedOnAnother()
    {
        await using var moved = await StubRuntime.StartAsync("moved", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("""{"cause":"not_found","detail":"no plugin named 'web' is loaded"}""");
        });
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["hello"], [moved.Url, live.Url]));

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ hello(name: \"x\") }"}"""));
            Assert.Equal("""{"data":{"hello":"live:/functions/web/hello"}}""", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal((1, 2), (moved.Requests, live.Requests));
        Assert.Equal("""{"name":"x"}""", moved.LastBody);
    }

    [Fact]
    public async Task Schema_FollowsTheRoutes()
    {
        await using var stub = await StubRuntime.StartAsync("a");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["hello"], [stub.Url]));
        var before = await gateway.Client.GetStringAsync("/graphql/schema");

        gateway.Publish(2, ("web", ["hello", "other"], [stub.Url]));
        var after = await gateway.Client.GetStringAsync("/graphql/schema");

        Assert.DoesNotContain("other(", before);
        Assert.Contains("other(", after);
    }
}
