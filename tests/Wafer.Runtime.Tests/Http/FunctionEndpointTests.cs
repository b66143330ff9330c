using System.Diagnostics;
using System.Net;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Http;

/// <summary>POST /functions/... against real modules compiled from the .wat fixtures.</summary>
public sealed class FunctionEndpointTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync(["echo", "loop", "grow", "abort", "log", "counter", "divzero", "guest-error"], o => o.MaxRequestBytes = 16 * 1024);
        File.WriteAllText(Path.Combine(_server.PluginsPath, "loop.wafer.json"), """{"name":"loop","limits":{"timeoutMs":200}}""");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "grow.wafer.json"), """{"name":"grow","limits":{"memoryMb":2}}""");
        await _server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Post_StringResult_AnswersResultObject()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
        Assert.Matches("^[0-9a-f]{6}-[0-9a-f]+$", response.Headers.GetValues("X-Wafer-Call-Id").Single());
    }

    [Fact]
    public async Task Post_VoidFunction_AnswersNullResult()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/nothing", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task Post_QualifiedName_ReachesThePlugin()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/echo/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
        var (missing, problem) = await _server.PostJsonAsync("/functions/nope/hello", "");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("no plugin named 'nope' is loaded", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_UnknownFunction_Is404Problem()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/doesNotExist", "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no function named 'doesNotExist' is loaded", body.GetProperty("detail").GetString());
        Assert.Equal(404, body.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("{\"value\":", "request body is not valid JSON")]
    [InlineData("{\"value\":42}", "argument 'value' must be a string, got a number")]
    [InlineData("{}", "missing argument 'value' (string): echo takes (value: string)")]
    [InlineData("{\"value\":\"x\",\"other\":1}", "unknown argument 'other': echo takes (value: string)")]
    public async Task Post_BadArguments_Is400SayingWhatIsWrong(string json, string expected)
    {
        var (response, body) = await _server.PostJsonAsync("/functions/echo", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(expected, body.GetProperty("detail").GetString());
        Assert.Equal("echo/echo", body.GetProperty("function").GetString());
    }

    [Fact]
    public async Task Post_ResultOfWrongType_IsBadResult()
    {
        // The fixture hands back its argument array where a string is declared.
        var (response, body) = await _server.PostJsonAsync("/functions/echo", "{\"value\":\"x\"}");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("bad_result", body.GetProperty("cause").GetString());
        Assert.Contains("result must be a string, got an array", body.GetProperty("detail").GetString());
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Post_EndlessLoop_TimesOutAndServerKeepsServing()
    {
        var watch = Stopwatch.StartNew();
        var spinning = _server.PostJsonAsync("/functions/spin", "");
        var (quick, quickBody) = await _server.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.OK, quick.StatusCode);
        Assert.Equal("hello", quickBody.GetProperty("result").GetString());

        var (response, body) = await spinning;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("timeout", body.GetProperty("cause").GetString());
        Assert.Equal("loop/spin", body.GetProperty("function").GetString());
        Assert.Contains("loop/spin failed: timeout", body.GetProperty("detail").GetString());
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Post_UnboundedAllocation_IsOutOfMemory()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/hog", "");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("out_of_memory", body.GetProperty("cause").GetString());
        Assert.Equal("Guest ran out of memory", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Post_GuestAbort_PassesTheMessageOn()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/fail", "");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("abort", body.GetProperty("cause").GetString());
        Assert.Equal("urn:wafer:problem:abort", body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()!.Split("abort:")[1]));
    }

    [Fact]
    public async Task Post_DivideByZero_IsTrapWithMessage()
    {
        var function = _server.Catalog.Current.Plugins.Single(p => p.Name == "divzero").Metadata.Functions[0].Name;
        var (response, body) = await _server.PostJsonAsync("/functions/" + function, "");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("trap", body.GetProperty("cause").GetString());
        Assert.Contains("divide by zero", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_FreshInstances_LeakNoStateBetweenCalls()
    {
        for (var i = 0; i < 5; i++)
        {
            var (response, body) = await _server.PostJsonAsync("/functions/next", "");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, body.GetProperty("result").GetInt32());
        }
    }

    [Fact]
    public async Task Post_GuestLogLines_AreKeptWithTheCallId()
    {
        var (response, _) = await _server.PostJsonAsync("/functions/chatty", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();
        JsonElement[] lines = [];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (lines.Length < 7 && DateTime.UtcNow < deadline)
        {
            var logs = JsonDocument.Parse(await _server.Client.GetStringAsync("/api/logs?function=log/chatty")).RootElement;
            lines = logs.EnumerateArray().Where(l => l.GetProperty("callId").GetString() == callId).ToArray();
            await Task.Delay(lines.Length < 7 ? 50 : 0);
        }

        Assert.Equal(["debug", "info", "warning", "error", "info", "info", "info"], lines.Select(l => l.GetProperty("level").GetString()));
        Assert.Equal(["debug line", "info line", "warning line", "error line", "other level", "héllo ☃"], lines.Take(6).Select(l => l.GetProperty("message").GetString()));
        Assert.Equal(new string('x', 16 * 1024) + "… [truncated: 3,616 more bytes]", lines[6].GetProperty("message").GetString());
        Assert.All(lines, l => Assert.Equal("log", l.GetProperty("plugin").GetString()));
        Assert.Contains(lines, l => l.GetProperty("level").GetString() == "error");
    }

    [Fact]
    public async Task Post_GuestError_Is500WithTheGuestsMessage()
    {
        var (response, body) = await _server.PostJsonAsync("/functions/validate", "");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("guest_error", body.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Post_OversizedBody_Is413()
    {
        var big = "{\"value\":\"" + new string('x', 20_000) + "\"}";
        var (response, _) = await _server.PostJsonAsync("/functions/echo", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_AnswersOk()
    {
        Assert.Equal("ok", await _server.Client.GetStringAsync("/healthz"));
    }
}
