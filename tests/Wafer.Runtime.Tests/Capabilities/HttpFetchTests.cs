using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary><c>http.fetch</c> end to end: guest → host_call → a real HTTP server on 127.0.0.1.</summary>
public sealed class HttpFetchTests : IAsyncLifetime
{
    private const string Secret = "s3cret-upstream-7f3a9c";
    private CapabilityHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(Map, origin => $$$"""
            {
              "name": "hostcall",
              "connections": {
                "upstream": { "type": "http", "baseUrl": "{{{origin}}}/api/", "headers": { "X-Api-Key": "{{API_KEY}}" } },
                "small": { "type": "http", "baseUrl": "{{{origin}}}/small", "maxResponseBytes": 1024 },
                "slow": { "type": "http", "baseUrl": "{{{origin}}}/slow/", "timeoutMs": 300 },
                "bot": { "type": "http", "baseUrl": "{{{origin}}}/bot{{TOKEN}}/" },
                "keyed": { "type": "http", "baseUrl": "{{{origin}}}/keyed/", "queryParameters": { "api_key": "{{KEY}}", "format": "json & more" } }
              }
            }
            """, dotEnv: $"# test secrets\nWAFER_UPSTREAM_API_KEY=\"{Secret}\"\nWAFER_BOT_TOKEN=tok-4242\nWAFER_KEYED_KEY=qk-5150-secret\n");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static void Map(WebApplication app)
    {
        app.MapGet("/api/hello", (HttpContext c) =>
        {
            c.Response.Headers["X-Upstream"] = "yes";
            return Results.Text("hi there", "text/plain");
        });
        app.MapGet("/api/echo-headers", (HttpContext c) =>
            Results.Json(c.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
        app.MapPost("/api/echo", async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            return Results.Text($"{c.Request.Method} {c.Request.ContentType} {await reader.ReadToEndAsync()}");
        });
        app.MapGet("/api/status/{code:int}", (int code) => Results.Text("status body", statusCode: code));
        app.MapGet("/api/redirect-inside", () => Results.Redirect("/api/hello"));
        app.MapPost("/api/redirect-303", () => Results.Redirect("/api/hello"));
        app.MapGet("/api/redirect-outside-path", () => Results.Redirect("/private/data"));
        app.MapGet("/api/redirect-other-host", (HttpContext c) => Results.Redirect($"http://localhost:{c.Connection.LocalPort}/api/hello"));
        app.MapGet("/api/redirect-loop", () => Results.Redirect("/api/redirect-loop"));
        app.MapGet("/private/data", () => Results.Text("private"));
        app.MapGet("/small/fits", () => Results.Text(new string('a', 1000)));
        app.MapGet("/small/too-big", () => Results.Text(new string('a', 5000)));
        app.MapGet("/small/chunked-too-big", async (HttpContext c) =>
        {
            for (var i = 0; i < 10; i++)
            {
                await c.Response.WriteAsync(new string('b', 500));
                await c.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/slow/wait", async (HttpContext c) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
            return Results.Text("late");
        });
        app.MapGet("/bot{token}/getMe", (string token) => Results.Text("bot " + token));
        app.MapGet("/keyed/echo-query", (HttpContext c) => Results.Text("query " + c.Request.QueryString.Value));
        app.MapGet("/api/echo-secret", (HttpContext c) => Results.Text("you sent " + c.Request.Headers["X-Api-Key"]));
    }

    private string Url(string path) => _harness.Upstream.Origin + path;

    private static string Body(JsonElement response) => Encoding.UTF8.GetString(response.GetProperty("body").GetBytesFromBase64());

    [Fact]
    public async Task Fetch_UrlUnderConnection_ReturnsStatusHeadersAndBody()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/api/hello") });
        var response = reply.Ok;
        Assert.Equal(200, response.GetProperty("status").GetInt32());
        Assert.Equal("OK", response.GetProperty("statusText").GetString());
        Assert.Equal("hi there", Body(response));
        var headers = response.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!)).ToArray();
        Assert.Contains(("X-Upstream", "yes"), headers);
        Assert.Contains(headers, h => h.Item1.Equals("content-type", StringComparison.OrdinalIgnoreCase) && h.Item2.StartsWith("text/plain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_ConnectionHeaders_AreAddedHostSideAndWinOverTheGuests()
    {
        var reply = await _harness.CallAsync("http.fetch", new
        {
            url = Url("/api/echo-headers"),
            headers = new[] { new[] { "X-Api-Key", "guest-forgery" }, new[] { "X-Trace", "t-1" } },
        });
        Assert.True(reply.Succeeded, reply.Error);
        var sent = _harness.Upstream.Last("/api/echo-headers");
        Assert.Equal(Secret, sent.Headers["X-Api-Key"]);
        Assert.Equal("t-1", sent.Headers["X-Trace"]);

        // The upstream echoed the key back; the guest sees it redacted.
        var echoed = Body(reply.Ok);
        Assert.DoesNotContain(Secret, echoed);
        Assert.Contains("[redacted]", echoed);
    }

    [Fact]
    public async Task Fetch_ConnectionQueryParameters_AreAppendedHostSideAfterTheGuestsAndScrubbed()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/keyed/echo-query?page=2&api_key=guest") });
        Assert.True(reply.Succeeded, reply.Error);

        // The guest's own parameters stay first; the connection's are appended, escaped, with the secret filled in.
        var echoed = Body(reply.Ok);
        Assert.Equal("query ?page=2&api_key=guest&api_key=[redacted]&format=json%20%26%20more", echoed);
        Assert.DoesNotContain("qk-5150-secret", echoed);
    }

    [Fact]
    public async Task Fetch_PostWithBody_SendsMethodHeadersAndBytes()
    {
        var reply = await _harness.CallAsync("http.fetch", new
        {
            url = Url("/api/echo"),
            method = "post",
            headers = new[] { new[] { "Content-Type", "application/json" } },
            body = Convert.ToBase64String("{\"a\":1}"u8.ToArray()),
        });
        Assert.Equal("POST application/json {\"a\":1}", Body(reply.Ok));
    }

    [Fact]
    public async Task Fetch_ErrorStatus_IsAResponseNotAFailure()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/api/status/503") });
        Assert.Equal(503, reply.Ok.GetProperty("status").GetInt32());
        Assert.Equal("status body", Body(reply.Ok));
    }

    [Theory]
    [InlineData("http://example.com/api/hello")]
    [InlineData("{origin}/private/data")]
    [InlineData("{origin}/apix/hello")]
    [InlineData("{origin}/api/../private/data")]
    [InlineData("{origin}/api/%2e%2e/private/data")]
    [InlineData("https://{host}/api/hello")]
    [InlineData("http://localhost:{port}/api/hello")]
    public async Task Fetch_UrlOutsideEveryConnection_IsDenied(string template)
    {
        var origin = _harness.Upstream.Origin;
        var url = template.Replace("{origin}", origin, StringComparison.Ordinal)
            .Replace("{host}", _harness.Upstream.Address.Authority, StringComparison.Ordinal)
            .Replace("{port}", _harness.Upstream.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var reply = await _harness.CallAsync("http.fetch", new { url });
        Assert.StartsWith("http.fetch: ", reply.Failure);
        Assert.True(reply.Failure.Contains("is not under any declared connection", StringComparison.Ordinal) ||
                    reply.Failure.Contains("percent-encoded", StringComparison.Ordinal), reply.Failure);
        Assert.DoesNotContain(_harness.Upstream.Requests, r => r.Path.StartsWith("/private", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fetch_UserInfoTrick_IsRefused()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = $"http://{_harness.Upstream.Address.Authority}@evil.example/api/hello" });
        Assert.StartsWith("http.fetch: URLs with user info are not allowed", reply.Failure);
    }

    [Fact]
    public async Task Fetch_RedirectInsideTheConnection_IsFollowed()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/api/redirect-inside") });
        Assert.Equal("hi there", Body(reply.Ok));
        Assert.Equal(Secret, _harness.Upstream.Last("/api/hello").Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task Fetch_SeeOtherAfterPost_FollowsWithGet()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/api/redirect-303"), method = "POST", body = Convert.ToBase64String([1, 2]) });
        Assert.Equal(200, reply.Ok.GetProperty("status").GetInt32());
        Assert.Equal("GET", _harness.Upstream.Last("/api/hello").Method);
    }

    [Theory]
    [InlineData("/api/redirect-outside-path")]
    [InlineData("/api/redirect-other-host")]
    public async Task Fetch_RedirectLeavingTheConnection_IsDeniedAndNotFollowed(string path)
    {
        var before = _harness.Upstream.Requests.Count(r => r.Path == "/private/data");
        var reply = await _harness.CallAsync("http.fetch", new { url = Url(path) });
        Assert.Contains("which is outside connection 'upstream'", reply.Failure);
        Assert.Equal(before, _harness.Upstream.Requests.Count(r => r.Path == "/private/data"));
    }

    [Fact]
    public async Task Fetch_RedirectLoop_StopsAfterFiveHops()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/api/redirect-loop") });
        Assert.Contains("redirected more than 5 times", reply.Failure);
    }

    [Fact]
    public async Task Fetch_ResponseWithinCap_Succeeds()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/small/fits") });
        Assert.Equal(1000, Body(reply.Ok).Length);
    }

    [Theory]
    [InlineData("/small/too-big")]
    [InlineData("/small/chunked-too-big")]
    public async Task Fetch_OversizedResponse_FailsNamingTheLimit(string path)
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url(path) });
        Assert.Contains("is larger than 1024 bytes (connection 'small' maxResponseBytes)", reply.Failure);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Fetch_SlowUpstream_TimesOutAtTheConnectionLimit()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/slow/wait") });
        Assert.Contains("timed out after 300 ms, the limit set by the connection's timeoutMs", reply.Failure);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Fetch_SlowUpstream_IsCutOffAtTheCallsOwnDeadline()
    {
        await _harness.DeployAsync($$$"""
            { "name": "short", "limits": { "timeoutMs": 400 }, "connections": { "slow": { "type": "http", "baseUrl": "{{{_harness.Upstream.Origin}}}/slow/" } } }
            """, "short");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/slow/wait") }, plugin: "short");

        Assert.False(reply.Succeeded);
        Assert.True(reply.Cause == "timeout" || reply.Failure.Contains("the limit set by the call's remaining time", StringComparison.Ordinal), reply.RawBody);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Fetch_PlaceholderInBasePath_GuestWritesThePlaceholderHostFillsIt()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = Url("/bot{{TOKEN}}/getMe") });
        Assert.Equal("bot [redacted]", Body(reply.Ok));
        Assert.Equal("/bottok-4242/getMe", _harness.Upstream.Last("/bot").Path);
    }

    [Theory]
    [InlineData("""{"method":"GET"}""", "http.fetch: \"url\" is missing")]
    [InlineData("""{"url":"not a url"}""", "is not an absolute http(s) URL")]
    [InlineData("""{"url":"ftp://example.com/"}""", "is not an absolute http(s) URL")]
    [InlineData("""{"url":"{origin}/api/hello","headers":{"a":"b"}}""", "\"headers\" must be an array of [name, value] pairs")]
    [InlineData("""{"url":"{origin}/api/hello","headers":[["Host","evil"]]}""", "the host sets the 'Host' header")]
    [InlineData("""{"url":"{origin}/api/hello","headers":[["X-A","a\r\nInjected: 1"]]}""", "holds a line break")]
    [InlineData("""{"url":"{origin}/api/hello","body":"%%%"}""", "\"body\" must be base64 text or null")]
    [InlineData("""{"url":"{origin}/api/hello","method":"GE T"}""", "\"method\" must be an HTTP method")]
    [InlineData("""{"url":"{origin}/api/hello","extra":1}""", "unknown field \"extra\"")]
    public async Task Fetch_BadRequest_FailsSayingWhatIsWrong(string request, string expected)
    {
        var reply = await _harness.CallAsync("http.fetch", request.Replace("{origin}", _harness.Upstream.Origin, StringComparison.Ordinal));
        Assert.Contains(expected, reply.Failure);
    }

    [Fact]
    public async Task Fetch_SecretNeverAppearsInResponsesOrLogs()
    {
        var ok = await _harness.CallAsync("http.fetch", new { url = Url("/api/echo-secret") });
        var denied = await _harness.CallAsync("http.fetch", new { url = "http://example.com/" });
        var plugins = await _harness.Runtime.Client.GetStringAsync("/api/plugins");

        Assert.Equal("you sent [redacted]", Body(ok.Ok));
        Assert.DoesNotContain(Secret, ok.RawBody + denied.RawBody + plugins + _harness.Logs.All);
        Assert.Contains("{{API_KEY}}", plugins);
    }
}
