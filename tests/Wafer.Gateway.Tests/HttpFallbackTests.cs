using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Tests;

/// <summary>
/// The one HTTP path beside the call protocol: HTTP/1.1 to the runtime's main port, for runtimes that announced no call
/// port and for bodies the gateway streams. A call port that takes no call is the runtime's failure: nothing was sent, so
/// the call goes to another replica and that runtime is put aside (no HTTP fallback for it).
/// </summary>
public sealed class HttpFallbackTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static void Publish(GatewayHost gateway, params (string Url, string? CallUrl)[] replicas) =>
        gateway.Routes.Publish(new RouteDocument(1,
            [new DeploymentRoutes("web", "web:greet", GatewayHost.Metadata(["greet"]), [],
                [.. replicas.Select((r, i) => new ReplicaAddress($"web-rt-{i}", $"rt-{i}", r.Url, r.CallUrl))])]));

    private static async Task Protocol(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"result":"{{context.Request.Protocol}}"}""");
    }

    [Fact]
    public async Task RuntimeWithoutACallPort_FunctionCallsAndGraphQLFieldsOverHttp11()
    {
        await using var runtime = await StubRuntime.StartAsync("a", Protocol);
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (runtime.Url, null));

        var calls = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        using var graphql = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ greet(name: \"x\") }"}"""));

        Assert.All(calls, c => Assert.Equal((HttpStatusCode.OK, """{"result":"HTTP/1.1"}"""), c));
        Assert.Equal("""{"data":{"greet":"HTTP/1.1"}}""", await graphql.Content.ReadAsStringAsync());
        Assert.Equal((7, 0), (runtime.Requests, runtime.Http2Requests));
        Assert.Contains("wafer_gateway_calls_sent_total{transport=\"http1\"} 7", await gateway.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallPortRefuses_CallGoesToAnotherReplica_TheRuntimePutAside()
    {
        await using var closed = await StubRuntime.StartAsync("closed");
        await using var http = await StubRuntime.StartAsync("b");
        await using var calls = CallProtocolStub.Start();
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (closed.Url, StubRuntime.RefusingUrl()), (http.Url, calls.Url));

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            Assert.Equal((HttpStatusCode.OK, "rt-1"), (response.StatusCode, response.Headers.GetValues("X-Wafer-Runtime").Single()));
        }

        Assert.Equal((0, 4), (closed.Requests, calls.Calls)); // nothing went to the first runtime over HTTP either
        Assert.False(gateway.Destinations.All.Single(d => d.RuntimeName == "rt-0").IsHealthy(gateway.Now));
        Assert.Contains("wafer_gateway_retries_total{deployment=\"web\",reason=\"refused\"} 1", await gateway.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallPortSpeaksOnlyHttp2_CallGoesToAnotherReplica_NotOverHttp()
    {
        await using var http2Only = await StubRuntime.StartAsync("old", h2c: true);
        await using var http = await StubRuntime.StartAsync("b");
        await using var calls = CallProtocolStub.Start();
        await using var gateway = await GatewayHost.StartAsync();
        Publish(gateway, (http2Only.Url, http2Only.H2cUrl), (http.Url, calls.Url));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));

        Assert.Equal((HttpStatusCode.OK, "rt-1"), (response.StatusCode, response.Headers.GetValues("X-Wafer-Runtime").Single()));
        Assert.Equal((0, 1), (http2Only.Requests, calls.Calls));
        Assert.False(gateway.Destinations.All.Single(d => d.RuntimeName == "rt-0").IsHealthy(gateway.Now));
    }
}
