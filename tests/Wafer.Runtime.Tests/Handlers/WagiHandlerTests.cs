using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Handlers;

/// <summary>Manifest routes served by the C CGI handler tests/guests/c/c-wagi.c (routes /wagi/... and /exact).</summary>
public sealed class WagiHandlerTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;
    private HttpClient _noRedirects = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync(["c-wagi", "echo"]);
        _noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.Client.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _noRedirects.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Get_ServesTheHandlersBodyAndContentType()
    {
        var response = await _server.Client.GetAsync("/wagi/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Hello, WAGI!\n", await response.Content.ReadAsStringAsync());
        Assert.Matches("^[0-9a-f]{6}-[0-9a-f]+$", response.Headers.GetValues("X-Wafer-Call-Id").Single());
    }

    [Fact]
    public async Task Handler_SetsStatusHeadersAndBody()
    {
        var response = await _server.Client.GetAsync("/wagi/status");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("yes", response.Headers.GetValues("X-Custom").Single());
        Assert.Equal("{\"created\":true}", await response.Content.ReadAsStringAsync());
        Assert.Equal(16, response.Content.Headers.ContentLength);
        var metrics = (await _server.Client.GetStringAsync("/metrics")).Split('\n');
        Assert.Single(metrics, l => l.StartsWith("wafer_handler_requests_total{plugin=\"c-wagi\",route=", StringComparison.Ordinal) && l.EndsWith(",code=\"201\"} 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Location_WithoutStatus_Redirects()
    {
        var response = await _noRedirects.GetAsync("/wagi/redirect");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/elsewhere", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Request_ArrivesAsCgiVariablesAndArguments()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/wagi/env?a=1&b=two%20words")
        {
            Content = new StringContent("12345", Encoding.UTF8, "text/x-test"),
        };
        request.Headers.Add("X-Test", "header value");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret-token");

        var response = await _server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var port = _server.Client.BaseAddress!.Port;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "REQUEST_METHOD=POST",
                "PATH_INFO=/env",
                "X_RAW_PATH_INFO=/env",
                "QUERY_STRING=a=1&b=two%20words",
                "CONTENT_TYPE=text/x-test; charset=utf-8",
                "CONTENT_LENGTH=5",
                "HTTP_X_TEST=header value",
                "HTTP_AUTHORIZATION=(unset)",
                "SCRIPT_NAME=/wagi",
                "X_MATCHED_ROUTE=/wagi/...",
                "SERVER_NAME=127.0.0.1",
                $"SERVER_PORT={port}",
                "SERVER_PROTOCOL=HTTP/1.1",
                "GATEWAY_INTERFACE=CGI/1.1",
                $"X_FULL_URL=http://127.0.0.1:{port}/wagi/env?a=1&b=two%20words",
                $"HTTP_HOST=127.0.0.1:{port}",
                "REMOTE_ADDR=127.0.0.1",
                "HOME=(unset)",
                "PATH=(unset)",
                "argv[0]=/wagi/env",
                "argv[1]=a=1",
                "argv[2]=b=two%20words",
            ],
            lines);
    }

    [Fact]
    public async Task Environment_IsTheCgiVariablesOnly_NeverTheHosts()
    {
        const string hostVariable = "WAFER_TEST_HOST_ONLY_VARIABLE";
        Environment.SetEnvironmentVariable(hostVariable, "host secret");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/wagi/environ");
            request.Headers.Add("X-Test", "header value");
            request.Headers.TryAddWithoutValidation("Proxy", "http://attacker.example:8080");
            request.Headers.TryAddWithoutValidation("X_Test", "spoofed with an underscore");

            var response = await _server.Client.SendAsync(request);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var names = lines.Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)]).ToList();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string[] cgi =
            [
                "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "GATEWAY_INTERFACE", "PATH_INFO", "PATH_TRANSLATED", "QUERY_STRING",
                "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_USER", "REQUEST_METHOD", "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT",
                "SERVER_PROTOCOL", "SERVER_SOFTWARE", "X_MATCHED_ROUTE", "X_RAW_PATH_INFO", "X_RELATIVE_PATH", "X_FULL_URL", "X_WAFER_CALL_ID",
                "HTTP_HOST", "HTTP_X_TEST",
            ];
            Assert.Equal(cgi.Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            Assert.DoesNotContain("HTTP_PROXY", names); // httpoxy: a client's Proxy header never becomes the handler's proxy setting
            Assert.Contains("HTTP_X_TEST=header value", lines);
            Assert.DoesNotContain(hostVariable, names);
        }
        finally
        {
            Environment.SetEnvironmentVariable(hostVariable, null);
        }
    }

    [Fact]
    public async Task HeadersWaferOwns_AreSetByWaferOnly()
    {
        var response = await _server.Client.GetAsync("/wagi/owned");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callId = Assert.Single(response.Headers.GetValues("X-Wafer-Call-Id"));
        Assert.Matches("^[0-9a-f]{6}-[0-9a-f]+$", callId);
        Assert.False(response.Headers.Contains("X-Wafer-Runtime"));
        Assert.False(response.Headers.Contains("Server"));
        Assert.Equal("kept", response.Headers.GetValues("X-Own").Single());
        Assert.Equal("owned\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/wagi/upgrade", "the handler answered Status 101, an informational status")]
    [InlineData("/wagi/nocontent", "the handler answered Status 204 with a 25-byte body; a 204 response has no body")]
    public async Task ImpossibleStatus_Is502SayingWhatTheHandlerDid(string path, string expected)
    {
        var response = await _server.Client.GetAsync(path);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bad_response", problem.GetProperty("cause").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.Equal("c-wagi", problem.GetProperty("plugin").GetString());
    }

    [Fact]
    public async Task NoContentWithoutBody_Is204()
    {
        var response = await _server.Client.GetAsync("/wagi/nocontent-empty");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Done").Single());
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Body_ArrivesOnStdin()
    {
        var response = await _server.Client.PostAsync("/wagi/echo", new StringContent("""{"hello":"world"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"hello":"world"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/wagi/bad", "the handler's output line 1 is not a header ('Name: value'): 'this is not a header'")]
    [InlineData("/wagi/noblank", "the handler's output has no blank line after its headers")]
    [InlineData("/wagi/nostatus", "the handler's headers must include Content-Type, Location or Status")]
    [InlineData("/wagi/nothing", "the handler wrote nothing to stdout")]
    public async Task MalformedOutput_Is502SayingWhatIsWrong(string path, string expected)
    {
        var response = await _server.Client.GetAsync(path);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("bad_response", problem.GetProperty("cause").GetString());
        Assert.Contains(expected, problem.GetProperty("detail").GetString());
        Assert.Equal("c-wagi", problem.GetProperty("plugin").GetString());
        Assert.Equal("/wagi/...", problem.GetProperty("route").GetString());
    }

    [Fact]
    public async Task Trap_Is502()
    {
        var response = await _server.Client.GetAsync("/wagi/trap");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("trap", problem.GetProperty("cause").GetString());
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task EndlessHandler_Is504AtItsTimeout_AndTheFailureIsInTheCallLog()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var response = await _server.Client.GetAsync("/wagi/loop");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("timed out after 1000 ms", await response.Content.ReadAsStringAsync());
        Assert.InRange(clock.ElapsedMilliseconds, 900, 5000);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();
        var failure = Assert.Single(_server.Services.GetRequiredService<GuestLogSink>().Recent(), e => e.CallId == callId && e.Cause is not null);
        Assert.Equal(("c-wagi", "/wagi/...", Wafer.Wasm.GuestLogLevel.Error, "timeout"), (failure.Plugin, failure.Function, failure.Level, failure.Cause));
        Assert.StartsWith("call failed: timeout: timed out after 1000 ms", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MethodNotListed_Is405WithAllow()
    {
        var response = await _server.Client.PutAsync("/wagi/hello", new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task RouteWithoutMethods_TakesAnyMethod_AndExactRoutesMatchOnlyThemselves()
    {
        var delete = await _server.Client.DeleteAsync("/exact");
        var below = await _server.Client.GetAsync("/exact/below");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("exact route, DELETE\n", await delete.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, below.StatusCode);
    }

    [Fact]
    public async Task PrefixRoute_MatchesItsBasePathToo()
    {
        var response = await _server.Client.GetAsync("/wagi");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no page \n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OtherPaths_KeepTheRuntimesOwnAnswers()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/nowhere")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/healthz")).StatusCode);
        var (response, body) = await _server.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Stderr_GoesToTheGuestLog()
    {
        var response = await _server.Client.GetAsync("/wagi/stderr");
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();

        Assert.Equal("logged\n", await response.Content.ReadAsStringAsync());
        var lines = _server.Services.GetRequiredService<GuestLogSink>().Recent().Where(e => e.CallId == callId).ToList();
        Assert.Equal(["handler warning one", "handler warning two"], lines.Select(l => l.Message));
        Assert.All(lines, l => Assert.Equal("c-wagi", l.Plugin));
    }

    [Fact]
    public async Task Introspection_ShowsTheCommandPluginAndItsRoutes()
    {
        var plugin = JsonDocument.Parse(await _server.Client.GetStringAsync("/api/plugins/c-wagi")).RootElement;

        Assert.Equal("command", plugin.GetProperty("type").GetString());
        Assert.Equal("/wagi/...", plugin.GetProperty("routes")[0].GetProperty("path").GetString());
        Assert.Equal("[\"GET\",\"POST\"]", plugin.GetProperty("routes")[0].GetProperty("methods").GetRawText());
        Assert.Equal(0, plugin.GetProperty("functions").GetArrayLength());
    }
}
