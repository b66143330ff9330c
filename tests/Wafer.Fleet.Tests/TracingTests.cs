using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// Traces across processes: an orchestrator (whose gateway forwards calls) and a runtime, each a real <c>wafer</c>
/// process exporting over OTLP/HTTP (set by the standard <c>OTEL_*</c> variables) to a receiver in the test, the call
/// carried over the call protocol, and a plugin's outbound request to a loopback server.
/// </summary>
public sealed class TracingTests
{
    private const string CallerTrace = "0af7651916cd43dd8448eb211c80319c";
    private const string CallerSpan = "b7ad6b7169203331";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Call_ThroughTheGateway_ToARuntimeInAnotherProcess_IsOneTraceUnderTheCallersTraceparent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var upstream = await Upstream.StartAsync();
        var otel = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Origin, ["OTEL_BSP_SCHEDULE_DELAY"] = "200" };
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, runtimeEnvironment: otel, orchestratorEnvironment: otel);
        await cluster.DeployWithManifestAsync("traced", "capabilities", 1, $$"""
            { "name": "traced", "connections": { "api": { "type": "http", "baseUrl": "{{upstream.Origin}}/api/" } } }
            """);
        await cluster.DeployAsync("faults", "faults", 1);
        await cluster.WaitForRunningAsync("traced", 1, Bound);
        await cluster.WaitForRunningAsync("faults", 1, Bound);
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync("/api/routes")).GetProperty("deployments").GetArrayLength() == 2,
            "the routes hold both deployments", Bound, cluster.Logs);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/traced/fetchGet")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { url = upstream.Origin + "/api/hello" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        using var response = await cluster.Api.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();

        await Eventually.TrueAsync(() => Task.FromResult(receiver.Trace(CallerTrace).Count >= 5), "five spans of the caller's trace exported", Bound, cluster.Logs);
        var spans = receiver.Trace(CallerTrace);
        var gateway = Assert.Single(spans, s => s.Name == "wafer.gateway.call");
        Assert.Equal(("wafer-orchestrator", CallerSpan, callId, "rt-1", "200"),
            (gateway.Service, gateway.ParentSpanId, gateway.Attribute("wafer.call_id"), gateway.Attribute("wafer.runtime"), gateway.Attribute("http.response.status_code")));
        var send = Assert.Single(spans, s => s.Name == "wafer.gateway.send");
        Assert.Equal((gateway.SpanId, "call-protocol", 3), (send.ParentSpanId, send.Attribute("wafer.transport"), send.Kind));
        var call = Assert.Single(spans, s => s.Name == "wafer.call");
        Assert.Equal(("wafer-runtime", send.SpanId, callId, "ok"), (call.Service, call.ParentSpanId, call.Attribute("wafer.call_id"), call.Attribute("wafer.outcome")));
        var fetch = Assert.Single(spans, s => s.Name == "http.fetch");
        Assert.Equal(call.SpanId, fetch.ParentSpanId);
        var outbound = Assert.Single(spans, s => s.Name == "GET");
        Assert.Equal(fetch.SpanId, outbound.ParentSpanId);
        Assert.Equal($"00-{CallerTrace}-{outbound.SpanId}-01", Assert.Single(upstream.TraceParents));

        // The orchestrator keeps its own spans of the call for the console.
        var kept = await cluster.Api.GetFromJsonAsync<JsonElement>($"/api/traces?callId={callId}");
        Assert.Equal(CallerTrace, kept.GetProperty("traceId").GetString());
        Assert.Equal(["wafer.gateway.call", "wafer.gateway.send"], kept.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray());

        // A guest trap: an error span on the runtime, under the gateway's span of a new trace.
        using var trap = await cluster.Api.PostAsync("/functions/faults/divide", new StringContent("""{"a": 1, "b": 0}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.InternalServerError, trap.StatusCode);
        var trapId = trap.Headers.GetValues("X-Wafer-Call-Id").Single();
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Spans.Count(s => s.Attribute("wafer.call_id") == trapId) == 2),
            "the trapped call's spans exported by both processes", Bound, cluster.Logs);
        var failed = receiver.Spans.Single(s => s.Name == "wafer.call" && s.Attribute("wafer.call_id") == trapId);
        var failedAtGateway = receiver.Spans.Single(s => s.Name == "wafer.gateway.call" && s.Attribute("wafer.call_id") == trapId);
        Assert.Equal((2, "trap"), (failed.StatusCode, failed.Attribute("wafer.outcome")));
        Assert.Equal((2, failed.TraceId, null), (failedAtGateway.StatusCode, failedAtGateway.TraceId, failedAtGateway.ParentSpanId));
        Assert.Contains(receiver.Spans, s => s.Name == "wafer.gateway.send" && s.SpanId == failed.ParentSpanId && s.ParentSpanId == failedAtGateway.SpanId);
    }

    [Fact]
    public async Task GraphQLFieldsAndHandlerRoutes_ThroughTheGateway_AreSpansOfTheCallersTrace()
    {
        const string graphQLTrace = "5bd66ef5095369c7b0d1f8f4bd33716a";
        const string handlerTrace = "6e0c63257de34c926f9efcd03899b6a2";
        await using var receiver = await OtlpReceiver.StartAsync();
        var otel = new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Origin, ["OTEL_BSP_SCHEDULE_DELAY"] = "200" };
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, runtimeEnvironment: otel, orchestratorEnvironment: otel);
        await cluster.DeployAsync("faults", "faults", 1);
        await cluster.DeployAsync("wagi", "c-wagi", 1);
        await cluster.WaitForRunningAsync("faults", 1, Bound);
        await cluster.WaitForRunningAsync("wagi", 1, Bound);
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync("/api/routes")).GetProperty("deployments").GetArrayLength() == 2,
            "the routes hold both deployments", Bound, cluster.Logs);

        // Two fields, one of them failing: one request span, a send and a runtime call under it per field.
        using var graphql = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"query Sums { ok: divide(a: 6, b: 3) bad: divide(a: 1, b: 0) }","operationName":"Sums"}""", Encoding.UTF8, "application/json"),
        };
        graphql.Headers.Add("traceparent", $"00-{graphQLTrace}-{CallerSpan}-01");
        using var answered = await cluster.Api.SendAsync(graphql);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        await Eventually.TrueAsync(() => Task.FromResult(receiver.Trace(graphQLTrace).Count >= 5), "the GraphQL request's five spans exported", Bound, cluster.Logs);
        var spans = receiver.Trace(graphQLTrace);
        var request = Assert.Single(spans, s => s.Name == "wafer.graphql");
        Assert.Equal(("wafer-orchestrator", CallerSpan, 2, "Sums", "1"),
            (request.Service, request.ParentSpanId, request.StatusCode, request.Attribute("graphql.operation.name"), request.Attribute("wafer.graphql.errors")));
        var sends = spans.Where(s => s.Name == "wafer.gateway.send").ToList();
        Assert.Equal(2, sends.Count);
        Assert.All(sends, send => Assert.Equal((request.SpanId, "call-protocol"), (send.ParentSpanId, send.Attribute("wafer.transport"))));
        var calls = spans.Where(s => s.Name == "wafer.call").ToList();
        Assert.Equal(["ok", "trap"], calls.Select(c => c.Attribute("wafer.outcome")).Order().ToArray());
        Assert.All(calls, call => Assert.Contains(sends, send => send.SpanId == call.ParentSpanId));

        // A handler route: the gateway's span, its send over HTTP, and the runtime's span of the program's run.
        using var handler = new HttpRequestMessage(HttpMethod.Get, "/wagi/hello");
        handler.Headers.Add("traceparent", $"00-{handlerTrace}-{CallerSpan}-01");
        using var served = await cluster.Api.SendAsync(handler);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var callId = served.Headers.GetValues("X-Wafer-Call-Id").Single();

        await Eventually.TrueAsync(() => Task.FromResult(receiver.Trace(handlerTrace).Count >= 3), "the handler request's three spans exported", Bound, cluster.Logs);
        spans = receiver.Trace(handlerTrace);
        var routed = Assert.Single(spans, s => s.Name == "wafer.gateway.handler");
        Assert.Equal(("wafer-orchestrator", CallerSpan, "wagi", "/wagi/hello", "200"),
            (routed.Service, routed.ParentSpanId, routed.Attribute("wafer.deployment"), routed.Attribute("url.path"), routed.Attribute("http.response.status_code")));
        var send = Assert.Single(spans, s => s.Name == "wafer.gateway.send");
        Assert.Equal((routed.SpanId, "http"), (send.ParentSpanId, send.Attribute("wafer.transport")));
        var run = Assert.Single(spans, s => s.Name == "wafer.handler");
        Assert.Equal(("wafer-runtime", send.SpanId, "/wagi/...", callId, "200"),
            (run.Service, run.ParentSpanId, run.Attribute("http.route"), run.Attribute("wafer.call_id"), run.Attribute("http.response.status_code")));
    }

    /// <summary>A loopback server standing in for the API a plugin calls; keeps the <c>traceparent</c> of each request.</summary>
    private sealed class Upstream : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Upstream(WebApplication app, string origin)
        {
            _app = app;
            Origin = origin;
        }

        public string Origin { get; }

        public ConcurrentQueue<string> TraceParents { get; } = new();

        public static async Task<Upstream> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            Upstream? upstream = null;
            app.MapGet("/api/hello", (HttpContext context) =>
            {
                upstream!.TraceParents.Enqueue(context.Request.Headers["traceparent"].ToString());
                return Results.Text("hello", "text/plain");
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            upstream = new Upstream(app, address.TrimEnd('/'));
            return upstream;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
