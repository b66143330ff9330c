using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Wafer.Browser.Tests;

/// <summary>How a server sends the console's files: precompressed, hashed names cached for a year, the page revalidated.</summary>
public sealed partial class ConsoleAssetTests(ConsoleRuntime server) : IClassFixture<ConsoleRuntime>
{
    [Fact]
    public async Task Page_IsRevalidated_AndMayLoadNothingFromElsewhere()
    {
        using var client = new HttpClient { BaseAddress = server.Url };
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(page.Headers.ETag!);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task HashedScript_IsSentWithBrotli_AndCachedForAYear()
    {
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = server.Url };
        var html = await client.GetStringAsync("/");
        var script = MainScript().Match(html);
        Assert.True(script.Success, html);

        using var request = new HttpRequestMessage(HttpMethod.Get, script.Value);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var compressed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal("br", compressed.Content.Headers.ContentEncoding.Single());
        var cache = compressed.Headers.CacheControl!;
        Assert.True(cache.Public);
        Assert.Equal(TimeSpan.FromDays(365), cache.MaxAge);
        Assert.Contains(cache.Extensions, e => e.Name == "immutable");

        using var plain = await client.GetAsync(script.Value);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.True(compressed.Content.Headers.ContentLength < plain.Content.Headers.ContentLength,
            $"brotli {compressed.Content.Headers.ContentLength} bytes, plain {plain.Content.Headers.ContentLength}");
    }

    [Fact]
    public async Task UnknownFile_Is404WithAProblem()
    {
        using var client = new HttpClient { BaseAddress = server.Url };
        using var response = await client.GetAsync("/console/missing-ABCDEFGH.js");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("the console has no file named 'missing-ABCDEFGH.js'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/console/main-[A-Z0-9]{8}\.js")]
    private static partial Regex MainScript();
}
