using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Telemetry;

/// <summary>
/// A runtime's spans, exported over OTLP/HTTP to a receiver on loopback (<see cref="OtlpReceiver"/>): real guests
/// (the AssemblyScript <c>capabilities</c> and <c>faults</c>), a real upstream server for <c>http.fetch</c>.
/// </summary>
public sealed class TracingTests
{
    private const string CallerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";

    [Fact]
    public async Task Call_WithTracingOn_ExportsSpansUnderTheCallersTraceparent_AndTheOutboundRequestCarriesIt()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var harness = await StartAsync(receiver, o => o.Exporter = "otlp");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/capabilities/fetchGet")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { url = harness.Upstream.Origin + "/api/hello" }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        using var response = await harness.Runtime.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();

        await Eventually.TrueAsync(() => receiver.Trace(CallerTrace).Count >= 3, "three spans of the caller's trace exported", TimeSpan.FromSeconds(60));
        var spans = receiver.Trace(CallerTrace);
        var call = Assert.Single(spans, s => s.Name == "wafer.call");
        Assert.Equal((CallerSpan, "wafer-runtime", 2), (call.ParentSpanId, call.Service, call.Kind));
        Assert.Equal(("capabilities", "fetchGet", callId, "ok"),
            (call.Attribute("wafer.plugin"), call.Attribute("wafer.function"), call.Attribute("wafer.call_id"), call.Attribute("wafer.outcome")));
        var fetch = Assert.Single(spans, s => s.Name == "http.fetch");
        Assert.Equal((call.SpanId, "http.fetch", callId), (fetch.ParentSpanId, fetch.Attribute("wafer.capability.operation"), fetch.Attribute("wafer.call_id")));
        var outbound = Assert.Single(spans, s => s.Name == "GET");
        Assert.Equal((fetch.SpanId, 3, "200"), (outbound.ParentSpanId, outbound.Kind, outbound.Attribute("http.response.status_code")));

        var upstream = Assert.Single(harness.Upstream.Requests, r => r.Path == "/api/hello");
        Assert.Equal($"00-{CallerTrace}-{outbound.SpanId}-01", upstream.Headers["traceparent"]);

        // The same spans, kept for the console.
        var kept = await harness.Runtime.Client.GetFromJsonAsync<JsonElement>($"/api/traces?callId={callId}");
        Assert.Equal(CallerTrace, kept.GetProperty("traceId").GetString());
        Assert.Equal(["wafer.call", "http.fetch", "GET"], kept.GetProperty("spans").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray());
        var byId = await harness.Runtime.Client.GetFromJsonAsync<JsonElement>($"/api/traces/{CallerTrace}");
        var keptCall = byId.GetProperty("spans")[0];
        Assert.Equal((call.SpanId, CallerSpan, "ok", callId),
            (keptCall.GetProperty("spanId").GetString(), keptCall.GetProperty("parentSpanId").GetString(),
                keptCall.GetProperty("attributes").GetProperty("wafer.outcome").GetString(), keptCall.GetProperty("attributes").GetProperty("wafer.call_id").GetString()));
        Assert.True(keptCall.GetProperty("durationMs").GetDouble() > 0);
    }

    [Fact]
    public async Task GraphQLRequest_UnderTheCallersTraceparent_IsOneSpan_WithEachFieldsCallUnderIt()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var harness = await StartAsync(receiver, o => { o.KeepRecent = true; o.Exporter = "none"; });
        var url = JsonSerializer.Serialize(harness.Upstream.Origin + "/api/hello");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = $"{{ a: fetchGet(url: {url}) {{ __typename }} b: fetchGet(url: {url}) {{ __typename }} }}" }),
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        using var response = await harness.Runtime.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = (await harness.Runtime.Client.GetFromJsonAsync<JsonElement>($"/api/traces/{CallerTrace}")).GetProperty("spans").EnumerateArray().ToList();
        var graphql = Assert.Single(spans, s => s.GetProperty("name").GetString() == "wafer.graphql");
        Assert.Equal((CallerSpan, "server", "unset"), (graphql.GetProperty("parentSpanId").GetString(), graphql.GetProperty("kind").GetString(), graphql.GetProperty("status").GetString()));
        var calls = spans.Where(s => s.GetProperty("name").GetString() == "wafer.call").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Equal(graphql.GetProperty("spanId").GetString(), call.GetProperty("parentSpanId").GetString()));
    }

    [Fact]
    public async Task Traces_ShowAddressesOnlyToHoldersOfTheToken()
    {
        const string token = "trace-reader-token";
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var harness = await CapabilityHarness.StartAsync(
            app => app.MapGet("/api/hello", () => Results.Text("hello", "text/plain")),
            _ => """{ "name": "hostcall" }""",
            configure: (o, _) => o.ApiToken = token,
            services: s => s.Configure<TracingOptions>(o => { o.KeepRecent = true; o.Exporter = "none"; }));
        var client = harness.Runtime.Client;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        await harness.DeployAsync($$"""
            { "name": "capabilities", "connections": { "api": { "type": "http", "baseUrl": "{{harness.Upstream.Origin}}/api/" } } }
            """, name: "capabilities", guest: "capabilities");
        var (response, _) = await harness.Runtime.PostJsonAsync("/functions/capabilities/fetchGet", JsonSerializer.Serialize(new { url = harness.Upstream.Origin + "/api/hello" }));
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();

        static string? OutboundUrl(JsonElement trace) =>
            trace.GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "GET").GetProperty("attributes").GetProperty("url.full").GetString();
        Assert.Equal(harness.Upstream.Origin + "/api/hello", OutboundUrl(await client.GetFromJsonAsync<JsonElement>($"/api/traces?callId={callId}")));

        client.DefaultRequestHeaders.Authorization = null;
        var unseen = await client.GetFromJsonAsync<JsonElement>($"/api/traces?callId={callId}");
        Assert.Equal("[address hidden]", OutboundUrl(unseen));
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/traces");
        Assert.DoesNotContain(harness.Upstream.Origin, listed.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("capabilities", unseen.GetProperty("spans")[0].GetProperty("attributes").GetProperty("wafer.plugin").GetString());
    }

    [Fact]
    public async Task Trap_WithTracingOn_IsAnErrorSpanNamingTheCause()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var harness = await StartAsync(receiver, o => o.Exporter = "otlp");
        await harness.DeployAsync("""{ "name": "faults" }""", name: "faults", guest: "faults");

        var (response, body) = await harness.Runtime.PostJsonAsync("/functions/faults/divide", """{"a": 1, "b": 0}""");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();

        await Eventually.TrueAsync(() => receiver.Spans.Any(s => s.Attribute("wafer.call_id") == callId), "the failed call's span exported", TimeSpan.FromSeconds(60));
        var span = receiver.Spans.Single(s => s.Attribute("wafer.call_id") == callId);
        Assert.Equal(("wafer.call", 2, "trap", "trap"), (span.Name, span.StatusCode, span.Attribute("wafer.outcome"), span.Attribute("error.type")));
        Assert.Equal("trap", body.GetProperty("cause").GetString());
        Assert.Null(span.ParentSpanId); // no traceparent: a trace of its own
        Assert.StartsWith("trap: ", span.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TracingOff_SendsNothing_AndTracesAnswer404()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var harness = await StartAsync(receiver, o => o.Exporter = "none"); // an endpoint, but no exporter: off
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/capabilities/fetchGet")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { url = harness.Upstream.Origin + "/api/hello" }), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
            using var response = await harness.Runtime.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var upstream = Assert.Single(harness.Upstream.Requests, r => r.Path == "/api/hello");
            Assert.False(upstream.Headers.ContainsKey("traceparent"), "with tracing off the host adds no trace context");

            foreach (var path in new[] { "/api/traces", $"/api/traces/{CallerTrace}", "/api/traces?callId=x" })
            {
                using var traces = await harness.Runtime.Client.GetAsync(path);
                var problem = await traces.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal((HttpStatusCode.NotFound, "off"), (traces.StatusCode, problem.GetProperty("tracing").GetString()));
                Assert.Contains("OTEL_TRACES_EXPORTER", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            await harness.DisposeAsync(); // a tracer would flush everything it had now
        }

        Assert.Equal(0, receiver.Exports);
    }

    [Fact]
    public async Task Traces_WithTracingOn_RefuseAMalformedTraceId_AndAnswer404ForAnUnknownOne()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var harness = await StartAsync(receiver, o => o.KeepRecent = true);

        using var malformed = await harness.Runtime.Client.GetAsync("/api/traces/not-a-trace");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("is not a trace id", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var unknown = await harness.Runtime.Client.GetAsync($"/api/traces/{CallerTrace}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False((await unknown.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("tracing", out _));
        using var noCall = await harness.Runtime.Client.GetAsync("/api/traces?callId=nope");
        Assert.Equal(HttpStatusCode.NotFound, noCall.StatusCode);
    }

    [Fact]
    public async Task KeepRecent_WithoutAnExporter_KeepsSpansForTheApi_AndExportsNothing()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var harness = await StartAsync(receiver, o => { o.KeepRecent = true; o.Exporter = "none"; });
        try
        {
            var (response, _) = await harness.Runtime.PostJsonAsync("/functions/capabilities/fetchGet", JsonSerializer.Serialize(new { url = harness.Upstream.Origin + "/api/hello" }));
            var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();
            var kept = await harness.Runtime.Client.GetFromJsonAsync<JsonElement>($"/api/traces?callId={callId}");
            Assert.Equal(3, kept.GetProperty("spans").GetArrayLength());
            var listed = await harness.Runtime.Client.GetFromJsonAsync<JsonElement>("/api/traces");
            Assert.Contains(listed.GetProperty("traces").EnumerateArray(), t => t.GetProperty("traceId").GetString() == kept.GetProperty("traceId").GetString());
        }
        finally
        {
            await harness.DisposeAsync();
        }

        Assert.Equal(0, receiver.Exports);
    }

    [Theory]
    [InlineData("zipkin", null, null, "OTEL_TRACES_EXPORTER: 'zipkin' is not an exporter Wafer has")]
    [InlineData(null, "http/json", null, "OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' is not a protocol")]
    [InlineData(null, null, "traceidratio", "OTEL_TRACES_SAMPLER_ARG: '1.5' is not a ratio from 0 to 1")]
    public void Options_Wrong_AreRefusedNamingTheVariable(string? exporter, string? protocol, string? sampler, string error)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_EXPORTER"] = exporter,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_TRACES_SAMPLER"] = sampler,
            ["OTEL_TRACES_SAMPLER_ARG"] = "1.5",
        }).Build();
        var options = new TracingOptions();
        options.ReadFrom(configuration);

        Assert.StartsWith(error, Assert.Single(options.Errors()), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_FromTheStandardVariables_TurnTracingOnOnlyWithAnExporterOrKeepRecent()
    {
        static TracingOptions Read(params (string Key, string Value)[] values)
        {
            var options = new TracingOptions();
            options.ReadFrom(new ConfigurationBuilder()
                .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());
            return options;
        }

        Assert.False(Read().Enabled);
        var endpoint = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));
        Assert.Equal((true, "http://collector:4318/v1/traces"), (endpoint.Enabled, endpoint.ExportEndpoint().ToString()));
        Assert.Equal("http://collector:4317/", Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).ExportEndpoint().ToString());
        Assert.Equal("http://c/x", Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a"), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c/x")).ExportEndpoint().ToString());
        Assert.False(Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a"), ("OTEL_TRACES_EXPORTER", "none")).Enabled);
        Assert.False(Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://a"), ("OTEL_SDK_DISABLED", "true")).Enabled);
        Assert.Equal("http://localhost:4318/v1/traces", Read(("OTEL_TRACES_EXPORTER", "otlp")).ExportEndpoint().ToString());
    }

    private static async Task<CapabilityHarness> StartAsync(OtlpReceiver receiver, Action<TracingOptions> tracing)
    {
        var harness = await CapabilityHarness.StartAsync(
            app => app.MapGet("/api/hello", () => Results.Text("hello", "text/plain")),
            _ => """{ "name": "hostcall" }""",
            services: s => s.Configure<TracingOptions>(o =>
            {
                o.TracesEndpoint = receiver.TracesUrl;
                tracing(o);
            }));
        await harness.DeployAsync($$"""
            { "name": "capabilities", "connections": { "api": { "type": "http", "baseUrl": "{{harness.Upstream.Origin}}/api/" } } }
            """, name: "capabilities", guest: "capabilities");
        return harness;
    }
}
