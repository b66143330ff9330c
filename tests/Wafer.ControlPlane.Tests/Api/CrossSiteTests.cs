using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wafer.ControlPlane.Tests.Support;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// A web page of another site cannot drive the orchestrator through a visitor's browser: control requests carrying a
/// foreign <c>Origin</c> (or <c>Sec-Fetch-Site: cross-site</c>) get 403, even with the token, and change nothing.
/// Clients that send no <c>Origin</c> (the CLI) and the server's own origin pass; reads and function calls stay open.
/// </summary>
public sealed class CrossSiteTests
{
    private static readonly byte[] EmptyModule = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    private static HttpRequestMessage Deploy(string? origin, string? fetchSite = null)
    {
        var body = JsonSerializer.Serialize(new { name = "web", plugin = Convert.ToBase64String(EmptyModule), replicas = 1 });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/deployments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData("http://127.0.0.1:1", null)]
    [InlineData("null", null)]
    [InlineData(null, "cross-site")]
    [InlineData("https://evil.example", "same-site")]
    public async Task ControlRequestFromAnotherSite_Is403_AndChangesNothing(string? origin, string? fetchSite)
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var response = await host.Client.SendAsync(Deploy(origin, fetchSite));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("cross_site", problem.GetProperty("cause").GetString());
        Assert.Contains("POST /api/deployments is a control request, and browsers may not send it from another site", problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await host.GetJsonAsync("/api/deployments")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ControlRequestFromAnotherSite_IsRefusedEvenWithTheToken()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = "s3cret");
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/deployments"), (HttpMethod.Delete, "/api/deployments/web"), (HttpMethod.Post, "/api/runtimes/x/drain"), (HttpMethod.Post, "/api/artifacts") })
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");

            using var response = await host.Client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task SameOriginAndNoOrigin_Pass()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var own = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        using var same = await host.Client.SendAsync(Deploy(own, "same-origin"));
        using var none = await host.Client.SendAsync(Deploy(null));

        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.Equal(HttpStatusCode.OK, none.StatusCode); // the same deployment again
    }

    [Fact]
    public async Task RebindingPage_SameOriginToTheBrowserButNotLoopback_IsRefusedWithoutAToken()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var port = host.Client.BaseAddress!.Port;
        using var request = Deploy($"http://rebind.example:{port}", "same-origin");
        request.Headers.Host = $"rebind.example:{port}"; // a domain that resolved to 127.0.0.1

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("on a server without a token, browsers may send it only to a loopback address or localhost, not to 'rebind.example'",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, (await host.GetJsonAsync("/api/deployments")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task SameOriginUnderItsOwnName_WithATokenConfigured_IsLeftToTheToken()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = "s3cret");
        var port = host.Client.BaseAddress!.Port;
        using var anonymous = Deploy($"http://wafer.example:{port}", "same-origin");
        anonymous.Headers.Host = $"wafer.example:{port}";
        using var authorized = Deploy($"http://wafer.example:{port}", "same-origin");
        authorized.Headers.Host = $"wafer.example:{port}";
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(anonymous)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(authorized)).StatusCode);
    }

    [Fact]
    public async Task ReadsAndFunctionCalls_FromAnotherSite_AreNotControl()
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/deployments");
        read.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        using var call = new HttpRequestMessage(HttpMethod.Post, "/functions/hello") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        call.Headers.TryAddWithoutValidation("Origin", "https://evil.example");

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(read)).StatusCode);
        using var answered = await host.Client.SendAsync(call);
        Assert.Equal(HttpStatusCode.NotFound, answered.StatusCode); // the gateway's answer: no such function
        Assert.Contains("no function named 'hello' is deployed", await answered.Content.ReadAsStringAsync());
    }
}
