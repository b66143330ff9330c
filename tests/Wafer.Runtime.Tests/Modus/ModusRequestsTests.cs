using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Modus;
using Wafer.Runtime.Modus.Auth;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// What a request tells Modus guests, over real HTTP: the time zone header reaches the call's context; a request
/// with neither that header nor a bearer token (nearly every call) sets no context at all, which readers take as no
/// claims and the host's time zone, and none leaks into the next request on the same connection.
/// </summary>
public sealed class ModusRequestsTests
{
    [Fact]
    public async Task TimeZoneHeader_ReachesTheContext_PlainRequests_SetNone()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.UseModusRequests();
        app.MapGet("/context", () => ModusRequestContext.Current is { } request
            ? $"zone={request.TimeZone};claims={request.Claims};verified={request.Verified}"
            : "none");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var plain = await http.GetStringAsync("/context", TestContext.Current.CancellationToken);
        using var zoned = new HttpRequestMessage(HttpMethod.Get, "/context") { Headers = { { "X-Time-Zone", "Europe/Paris" } } };
        var withZone = await (await http.SendAsync(zoned, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var after = await http.GetStringAsync("/context", TestContext.Current.CancellationToken); // same keep-alive connection

        Assert.Equal("none", plain);
        Assert.Equal("zone=Europe/Paris;claims=;verified=False", withZone);
        Assert.Equal("none", after);
    }
}
