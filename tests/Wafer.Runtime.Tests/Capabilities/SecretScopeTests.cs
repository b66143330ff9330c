using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary>
/// What Wafer promises about a connection's secret (docs/security.md, "Secrets"): it is sent only to its own
/// connection (never through another connection's headers, a guest's URL or a redirect), and an upstream that
/// echoes it back, as is, in a common encoding or compressed, hands the guest <c>[redacted]</c> instead.
/// </summary>
public sealed class SecretScopeTests : IAsyncLifetime
{
    /// <summary>Characters that every encoding spells differently: '+', '/', '?', '&amp;', '=', '%', '~' and a space.</summary>
    private const string Secret = "Sk+/7?&=~% scope-secret";
    private CapabilityHarness _harness = null!;
    private string _otherHost = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(Map, origin => $$$"""
            {
              "name": "hostcall",
              "connections": {
                "a": { "type": "http", "baseUrl": "{{{origin}}}/a/", "headers": { "X-Key": "{{KEY}}" } },
                "b": { "type": "http", "baseUrl": "{{{origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal)}}}/b/", "headers": { "X-Key": "{{KEY}}" } }
              }
            }
            """, dotEnv: $"WAFER_A_KEY=\"{Secret}\"\n");
        _otherHost = _harness.Upstream.Origin.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static string Key(HttpContext c) => c.Request.Headers["X-Key"].ToString();

    /// <summary>Text worth compressing: a compressor stores a short, unique text as is, where an exact match would find it.</summary>
    private static string Repeated(string text) => string.Join(" | ", Enumerable.Repeat(text, 40));

    private static void Map(WebApplication app)
    {
        app.MapGet("/a/echo", (HttpContext c) => Results.Text("you sent " + Key(c)));
        app.MapGet("/a/path/{**rest}", (HttpContext c) => Results.Text("path " + c.Request.Path + c.Request.QueryString));
        app.MapGet("/a/base64", (HttpContext c) => Results.Text(Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(c)))));
        app.MapGet("/a/base64-unpadded", (HttpContext c) => Results.Text(Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(c))).TrimEnd('=')));
        app.MapGet("/a/base64url", (HttpContext c) =>
            Results.Text(Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(c))).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
        app.MapGet("/a/hex", (HttpContext c) => Results.Text(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Key(c)))));
        app.MapGet("/a/hex-upper", (HttpContext c) => Results.Text(Convert.ToHexString(Encoding.UTF8.GetBytes(Key(c)))));
        app.MapGet("/a/url", (HttpContext c) => Results.Text("key=" + Uri.EscapeDataString(Key(c))));
        app.MapGet("/a/form", (HttpContext c) => Results.Text("key=" + WebUtility.UrlEncode(Key(c))));
        app.MapGet("/a/json", (HttpContext c) => Results.Json(new { received = Key(c) }));
        app.MapGet("/a/header", (HttpContext c) =>
        {
            c.Response.Headers["X-Echo"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key(c)));
            return Results.Text("see header");
        });
        app.MapGet("/a/gzip", async (HttpContext c) =>
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(Encoding.UTF8.GetBytes(Repeated("you sent " + Key(c))));
            }

            c.Response.Headers.ContentEncoding = "gzip";
            c.Response.ContentType = "text/plain";
            await c.Response.Body.WriteAsync(compressed.ToArray());
        });
        app.MapGet("/a/brotli", async (HttpContext c) =>
        {
            using var compressed = new MemoryStream();
            await using (var brotli = new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await brotli.WriteAsync(Encoding.UTF8.GetBytes(Repeated("you sent " + Key(c))));
            }

            c.Response.Headers.ContentEncoding = "br";
            await c.Response.Body.WriteAsync(compressed.ToArray());
        });
        app.MapGet("/a/unknown-encoding", async (HttpContext c) =>
        {
            c.Response.Headers.ContentEncoding = "x-custom";
            await c.Response.WriteAsync("encoded " + Key(c));
        });
        app.MapGet("/a/redirect-to-b", (HttpContext c) => Results.Redirect($"http://localhost:{c.Connection.LocalPort}/b/echo"));
        app.MapGet("/b/echo", (HttpContext c) => Results.Text("b got " + Key(c)));
    }

    private string A(string path) => _harness.Upstream.Origin + "/a/" + path;

    private static string Body(JsonElement response) => Encoding.UTF8.GetString(response.GetProperty("body").GetBytesFromBase64());

    private bool SecretReached(string hostPrefix) =>
        _harness.Upstream.Requests.Any(r => r.Headers.TryGetValue("Host", out var host) && host.StartsWith(hostPrefix, StringComparison.Ordinal)
                                            && (r.Headers.Values.Any(v => v.Contains(Secret, StringComparison.Ordinal)) || r.Path.Contains("scope-secret", StringComparison.Ordinal)));

    [Fact]
    public async Task SecretOfConnectionA_IsSentToConnectionA()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A("echo") });

        Assert.Equal("you sent [redacted]", Body(reply.Ok));
        Assert.Equal(Secret, _harness.Upstream.Last("/a/echo").Headers["X-Key"]);
    }

    [Fact]
    public async Task AnotherConnectionsHeader_ReadsItsOwnSecret_NeverConnectionAs()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = _otherHost + "/b/echo" });

        Assert.Equal("http.fetch: connection 'b' needs secret KEY: set WAFER_B_KEY or add it to .env", reply.Failure);
        Assert.False(SecretReached("localhost"));
    }

    [Fact]
    public async Task GuestUrl_NeverHasPlaceholdersFilledIn()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A("path/{{KEY}}?q={{KEY}}") });

        var body = Body(reply.Ok);
        Assert.DoesNotContain("scope-secret", body);
        Assert.Contains("KEY", body);
        Assert.DoesNotContain(_harness.Upstream.Requests, r => r.Path.Contains("scope-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedirectToAnotherConnectionsHost_IsRefused_AndTheSecretStaysHome()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A("redirect-to-b") });

        Assert.Contains("which is outside connection 'a'", reply.Failure);
        Assert.False(SecretReached("localhost"));
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("base64-unpadded")]
    [InlineData("base64url")]
    [InlineData("hex")]
    [InlineData("hex-upper")]
    [InlineData("url")]
    [InlineData("form")]
    [InlineData("json")]
    [InlineData("gzip")]
    [InlineData("brotli")]
    public async Task EchoedSecret_InACommonEncoding_ReachesTheGuestRedacted(string encoding)
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A(encoding) });

        var body = Body(reply.Ok);
        Assert.Contains(SecretScrubber.Redacted, body);
        Assert.All(SecretScrubber.Forms(Secret), form => Assert.DoesNotContain(form, body));
        Assert.DoesNotContain("scope-secret", body);
        Assert.DoesNotContain("scope-secret", reply.RawBody);
    }

    [Fact]
    public async Task EchoedSecret_InAResponseHeader_ReachesTheGuestRedacted()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A("header") });

        var echo = reply.Ok.GetProperty("headers").EnumerateArray().Single(h => h[0].GetString() == "X-Echo")[1].GetString();
        Assert.Equal(SecretScrubber.Redacted, echo);
    }

    [Fact]
    public async Task ResponseInAnEncodingTheHostCannotDecode_FailsRatherThanHidingTheSecret()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A("unknown-encoding") });

        Assert.Contains("is encoded as 'x-custom', which the host cannot decode to remove the connection's secrets from it", reply.Failure);
        Assert.DoesNotContain("scope-secret", reply.RawBody);
    }

    [Fact]
    public async Task GuestAcceptEncoding_IsRefused()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = A("echo"), headers = new[] { new[] { "Accept-Encoding", "zstd" } } });

        Assert.Equal("http.fetch: the host sets the 'Accept-Encoding' header; a guest may not", reply.Failure);
    }
}
