using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Wafer.Gateway.Health;

namespace Wafer.Gateway.Tests;

/// <summary>
/// Function calls (REST and GraphQL fields) to a runtime whose h2c port speaks HTTP/2 only, not the call protocol (an
/// older runtime; CallProtocolTests has the protocol): HTTP/1.1 while few calls are in flight, h2c from
/// <see cref="Destination.MultiplexFrom"/> others on, and HTTP/1.1 again when the h2c port fails.
/// </summary>
public sealed class H2cTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static void PublishOne(GatewayHost gateway, string url, string? h2cUrl) =>
        gateway.Routes.Publish(new RouteDocument(1,
            [new DeploymentRoutes("web", "web:greet", GatewayHost.Metadata(["greet"]), [], [new ReplicaAddress("web-rt-0", "rt-0", url, h2cUrl)])]));

    /// <summary>Answers after a pause, so concurrent calls overlap at the runtime.</summary>
    private static bool HoldsH2c(Destination destination)
    {
        using var call = destination.BeginCall();
        return call.H2c;
    }

    private static async Task Slowly(HttpContext context)
    {
        await Task.Delay(500);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"result":"{{context.Request.Protocol}}"}""");
    }

    [Fact]
    public void Destination_SendsOverH2cOnlyWithEnoughCallsInFlight_OrJustBefore_AndNotWhilePaused()
    {
        var destination = new Destination("r1", "rt-1", "http://127.0.0.1:1/", "http://127.0.0.1:2/");
        var plain = new Destination("r2", "rt-2", "http://127.0.0.1:3");

        var calls = Enumerable.Range(0, Destination.MultiplexFrom + 2).Select(_ => destination.BeginCall()).ToList();
        var withoutH2c = Enumerable.Range(0, Destination.MultiplexFrom + 2).Select(_ => plain.BeginCall()).ToList();

        Assert.Equal("http://127.0.0.1:2", destination.H2cPrefix);
        Assert.Equal([false, false, true, true], calls.Select(c => c.H2c));
        Assert.All(withoutH2c, c => Assert.False(c.H2c));
        Assert.Equal(4, destination.InFlight);
        destination.PauseH2c();
        using (var paused = destination.BeginCall())
        {
            Assert.False(paused.H2c);
        }

        calls.ForEach(c => c.Dispose());
        Assert.Equal(0, destination.InFlight);

        var sticky = new Destination("r3", "rt-3", "http://127.0.0.1:4", "http://127.0.0.1:5");
        var piledUp = Stopwatch.StartNew();
        Enumerable.Range(0, Destination.MultiplexFrom + 1).Select(_ => sticky.BeginCall()).ToList().ForEach(c => c.Dispose());
        using (var next = sticky.BeginCall())
        {
            Assert.True(next.H2c); // alone, but calls piled up just before
        }

        while (HoldsH2c(sticky) && piledUp.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }

        Assert.False(HoldsH2c(sticky)); // back to HTTP/1.1 once the hold is over
        Assert.True(piledUp.Elapsed >= Destination.MultiplexHold - TimeSpan.FromMilliseconds(10), $"h2c held only {piledUp.Elapsed}");
    }

    [Fact]
    public async Task Function_OneCallAtATime_GoesOverHttp11()
    {
        await using var runtime = await StubRuntime.StartAsync("a", h2c: true);
        await using var gateway = await GatewayHost.StartAsync();
        PublishOne(gateway, runtime.Url, runtime.H2cUrl);

        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(5, runtime.Requests);
        Assert.Equal(0, runtime.Http2Requests);
    }

    [Fact]
    public async Task Function_ManyCallsAtOnce_MostGoOverH2c_AllAnswered()
    {
        await using var runtime = await StubRuntime.StartAsync("a", Slowly, h2c: true);
        await using var gateway = await GatewayHost.StartAsync();
        PublishOne(gateway, runtime.Url, runtime.H2cUrl);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json($$"""{"name":"{{i}}"}"""));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(), Runtime: response.Headers.GetValues("X-Wafer-Runtime").Single());
        }));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "rt-0"), (a.StatusCode, a.Runtime)));
        Assert.Equal(10, runtime.Requests);
        Assert.InRange(runtime.Http2Requests, 1, 10 - Destination.MultiplexFrom); // the first calls found too few in flight
        Assert.Equal(runtime.Http2Requests, answers.Count(a => a.Body == """{"result":"HTTP/2"}"""));
        Assert.Equal(0, gateway.Destinations.All.Single().InFlight);
    }

    [Fact]
    public async Task GraphQL_ManyQueriesAtOnce_FieldsGoOverH2c_AllAnswered()
    {
        await using var runtime = await StubRuntime.StartAsync("a", Slowly, h2c: true);
        await using var gateway = await GatewayHost.StartAsync();
        PublishOne(gateway, runtime.Url, runtime.H2cUrl);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await gateway.Client.PostAsync("/graphql", Json("""{"query":"{ greet(name: \"x\") }"}"""));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(10, runtime.Requests);
        Assert.InRange(runtime.Http2Requests, 1, 10 - Destination.MultiplexFrom);
        Assert.Equal(runtime.Http2Requests, answers.Count(a => a.Body == """{"data":{"greet":"HTTP/2"}}"""));
        Assert.Equal(10 - runtime.Http2Requests, answers.Count(a => a.Body == """{"data":{"greet":"HTTP/1.1"}}"""));
    }

    [Fact]
    public async Task Function_H2cPortRefuses_CallsGoToTheSameRuntimeOverHttp11()
    {
        await using var runtime = await StubRuntime.StartAsync("a", Slowly);
        await using var gateway = await GatewayHost.StartAsync();
        PublishOne(gateway, runtime.Url, StubRuntime.RefusingUrl());

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        Assert.All(statuses, s => Assert.Equal((HttpStatusCode.OK, """{"result":"HTTP/1.1"}"""), s));
        Assert.Equal(8, runtime.Requests);
        Assert.True(gateway.Destinations.All.Single().IsHealthy(Environment.TickCount64)); // the runtime itself is not put aside
    }
}
