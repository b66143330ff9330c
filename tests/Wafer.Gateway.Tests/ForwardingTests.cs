using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Wafer.Gateway.Tests;

/// <summary>
/// Forwarding to replicas: balancing, retry only when the connection was refused or the runtime turned the call away
/// unrun (the replica just moved), no replica left.
/// </summary>
public sealed class ForwardingTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Function_TwoReplicas_CallsAlternateAndPathIsQualified()
    {
        await using var a = await StubRuntime.StartAsync("a");
        await using var b = await StubRuntime.StartAsync("b");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [a.Url, b.Url]));

        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Content.ReadAsStringAsync());
            Assert.Equal(answers[^1].Contains("\"a:", StringComparison.Ordinal) ? "rt-0" : "rt-1", response.Headers.GetValues("X-Wafer-Runtime").Single());
        }

        Assert.Equal(5, a.Requests);
        Assert.Equal(5, b.Requests);
        Assert.All(answers, body => Assert.EndsWith(":/functions/web/greet\"}", body));
        Assert.Equal("""{"name":"x"}""", a.LastBody);
    }

    [Fact]
    public async Task Function_FirstReplicaRefusesConnections_EveryCallServedByTheOther()
    {
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [StubRuntime.RefusingUrl(), live.Url]));

        for (var i = 0; i < 6; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/web/greet", Json("""{"name":"x"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"name":"x"}""", live.LastBody); // the body went along on the retry
        }

        Assert.Equal(6, live.Requests);
        var now = gateway.Now;
        Assert.Single(gateway.Destinations.All, d => !d.IsHealthy(now)); // the refusing one is put aside
    }

    [Fact]
    public async Task Function_EveryReplicaRefuses_503NoReplica()
    {
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [StubRuntime.RefusingUrl(), StubRuntime.RefusingUrl()]));

        using var first = await gateway.Client.PostAsync("/functions/greet", Json("{}"));
        using var second = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Contains("urn:wafer:problem:no_replica", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
    }

    [Fact]
    public async Task Function_ReplicaDropsTheConnectionAfterTheRequest_502AndNotRetried()
    {
        await using var dropping = await StubRuntime.StartAsync("dropping", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [dropping.Url, live.Url]));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("rt-0", response.Headers.GetValues("X-Wafer-Runtime").Single());
        Assert.Equal(1, dropping.Requests);
        Assert.Equal(0, live.Requests); // the call may have run: never sent twice
    }

    [Fact]
    public async Task Function_RuntimeAnswer_PassedThroughWithStatusAndHeaders()
    {
        await using var refusing = await StubRuntime.StartAsync("r", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
            context.Response.Headers["X-Wafer-Call-Id"] = "c-1";
            context.Response.ContentType = "application/problem+json";
            await context.Response.WriteAsync("""{"cause":"timeout"}""");
        });
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [refusing.Url]));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("c-1", response.Headers.GetValues("X-Wafer-Call-Id").Single());
        Assert.Equal("""{"cause":"timeout"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, refusing.Requests);
    }

    [Fact]
    public async Task Function_RequestHeadersQueryAndBody_ReachTheRuntime_HopByHopDropped()
    {
        string? seen = null;
        await using var runtime = await StubRuntime.StartAsync("r", async context =>
        {
            var h = context.Request.Headers;
            seen = $"{context.Request.Path}{context.Request.QueryString}|{h["X-Trace"]}|{h.ContentType}|{h.ContentLength}|{h.Host}|{h.ContainsKey("Keep-Alive")}";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}");
        });
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [runtime.Url]));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/greet?x=1") { Content = Json("""{"name":"a"}""") };
        request.Headers.Add("X-Trace", "t-1");
        request.Headers.TryAddWithoutValidation("Keep-Alive", "timeout=5");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"name":"a"}""", runtime.LastBody);
        Assert.Equal($"/functions/web/greet?x=1|t-1|application/json; charset=utf-8|12|{new Uri(runtime.Url).Authority}|False", seen);
    }

    private static Func<HttpContext, Task> Answer(int status, string cause) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await context.Response.WriteAsync($$"""{"cause":"{{cause}}"}""");
    };

    [Theory]
    [InlineData(StatusCodes.Status404NotFound, "not_found")]
    [InlineData(StatusCodes.Status503ServiceUnavailable, "unavailable")]
    public async Task Function_ReplicaTurnsTheCallAwayUnrun_SentToAnotherWithItsBody(int status, string cause)
    {
        await using var moved = await StubRuntime.StartAsync("moved", Answer(status, cause));
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [moved.Url, live.Url]));

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json($$"""{"name":"x{{i}}"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("rt-1", response.Headers.GetValues("X-Wafer-Runtime").Single());
            Assert.Equal($$"""{"name":"x{{i}}"}""", live.LastBody);
        }

        Assert.Equal(2, moved.Requests); // round-robin still tries it: the runtime is up, only this replica moved
        Assert.Equal("""{"name":"x2"}""", moved.LastBody);
        Assert.Equal(4, live.Requests);
        var now = gateway.Now;
        Assert.All(gateway.Destinations.All, d => Assert.True(d.IsHealthy(now)));
    }

    [Fact]
    public async Task Function_EveryReplicaTurnsTheCallAway_TheLastAnswerPassedThrough()
    {
        await using var a = await StubRuntime.StartAsync("a", Answer(StatusCodes.Status404NotFound, "not_found"));
        await using var b = await StubRuntime.StartAsync("b", Answer(StatusCodes.Status404NotFound, "not_found"));
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [a.Url, b.Url]));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"cause":"not_found"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal((1, 1), (a.Requests, b.Requests)); // each tried once
    }

    [Fact]
    public async Task Function_FailureAfterTheFunctionRan_NotSentAgain()
    {
        await using var failing = await StubRuntime.StartAsync("failing", Answer(StatusCodes.Status500InternalServerError, "trap"));
        await using var other = await StubRuntime.StartAsync("other");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [failing.Url, other.Url]));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal((1, 0), (failing.Requests, other.Requests));
    }

    [Fact]
    public async Task Function_BodyLargerThanTheResendLimit_StreamedToOneReplicaOnly()
    {
        await using var moved = await StubRuntime.StartAsync("moved", Answer(StatusCodes.Status404NotFound, "not_found"));
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [moved.Url, live.Url]));
        var large = $$"""{"name":"{{new string('x', 70 * 1024)}}"}""";

        using var response = await gateway.Client.PostAsync("/functions/greet", Json(large));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // the first pick; a streamed body cannot be sent twice
        Assert.Equal(large, moved.LastBody);
        Assert.Equal(0, live.Requests);
    }

    [Fact]
    public async Task Metrics_RequestsByDeploymentAndCode_AndRetriesByReason()
    {
        await using var moved = await StubRuntime.StartAsync("moved", Answer(StatusCodes.Status404NotFound, "not_found"));
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [moved.Url, live.Url]), ("down", ["bye"], [StubRuntime.RefusingUrl()]));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/functions/greet", Json("{}"))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.Client.PostAsync("/functions/bye", Json("{}"))).StatusCode);
        var text = await gateway.Client.GetStringAsync("/metrics");
        var lines = text.Split('\n');

        Assert.Contains("""wafer_gateway_requests_total{deployment="web",kind="function",code="200"} 4""", lines);
        Assert.Contains("""wafer_gateway_retries_total{deployment="web",reason="turned_away"} 2""", lines);
        Assert.Contains("""wafer_gateway_requests_total{deployment="down",kind="function",code="503"} 1""", lines);
        Assert.Contains("""wafer_gateway_request_duration_seconds_count{deployment="web",kind="function"} 4""", lines);
        await Wafer.Tests.Shared.Promtool.AssertValidAsync(text, "a gateway");
    }
}
