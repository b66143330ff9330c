using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Wafer.ControlPlane.Tests.Support;

namespace Wafer.ControlPlane.Tests.Gateway;

/// <summary><c>GET /api/routes</c>: the gateway feed, long-polled by standalone gateways.</summary>
public sealed class RouteEndpointTests
{
    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Routes_AfterTheCurrentVersion_AnsweredWhenTheWaitEnds()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var current = (await host.GetJsonAsync("/api/routes")).GetProperty("version").GetInt64();

        var clock = Stopwatch.StartNew();
        var same = await host.GetJsonAsync($"/api/routes?after={current}&wait=1");
        var elapsed = clock.Elapsed;
        var other = await host.GetJsonAsync($"/api/routes?after={current + 1000}&wait=30");

        Assert.Equal(current, same.GetProperty("version").GetInt64());
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(10));
        Assert.Equal(current, other.GetProperty("version").GetInt64()); // a different version: answered at once
        Assert.Equal(0, other.GetProperty("deployments").GetArrayLength());
    }

    [Fact]
    public async Task Routes_WithAToken_NeedIt_FunctionRoutesStayPublic()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = "s3cret");

        using var anonymous = await host.Client.GetAsync("/api/routes");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/routes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var authorized = await host.Client.SendAsync(request);
        using var function = await host.Client.PostAsync("/functions/hello", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, function.StatusCode); // the gateway's answer, not a 401
        Assert.Contains("no function named 'hello' is deployed", await function.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Routes_BadWait_400()
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/routes?after=1&wait=600");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
