using System.Net;
using System.Text;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Tests;

/// <summary>Which deployment a path names, in the runtime's problem format when none or several do.</summary>
public sealed class RoutingTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Function_ExportedByTwoDeployments_409ListingBothAddresses()
    {
        await using var stub = await StubRuntime.StartAsync("a");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("one", ["greet", "only"], [stub.Url]), ("two", ["greet"], [stub.Url]));

        using var ambiguous = await gateway.Client.PostAsync("/functions/greet", Json("{}"));
        using var unique = await gateway.Client.PostAsync("/functions/only", Json("{}"));
        using var qualified = await gateway.Client.PostAsync("/functions/two/greet", Json("{}"));

        Assert.Equal(HttpStatusCode.Conflict, ambiguous.StatusCode);
        var problem = JsonDocument.Parse(await ambiguous.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:wafer:problem:ambiguous", problem.GetProperty("type").GetString());
        Assert.Equal("function 'greet' is exported by several plugins; call one of: /functions/one/greet, /functions/two/greet", problem.GetProperty("detail").GetString());
        Assert.Equal("""{"result":"a:/functions/one/only"}""", await unique.Content.ReadAsStringAsync());
        Assert.Equal("""{"result":"a:/functions/two/greet"}""", await qualified.Content.ReadAsStringAsync());
        Assert.Equal(2, stub.Requests);
    }

    [Theory]
    [InlineData("/functions/nope", "no function named 'nope' is deployed")]
    [InlineData("/functions/web/nope", "plugin 'web' has no function 'nope'")]
    [InlineData("/functions/other/greet", "no deployment named 'other' is running")]
    public async Task Function_NotDeployed_404SayingWhat(string path, string detail)
    {
        await using var stub = await StubRuntime.StartAsync("a");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [stub.Url]));

        using var response = await gateway.Client.PostAsync(path, Json("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(detail, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, stub.Requests);
    }

    [Theory]
    [InlineData("/functions/greet", "a:/functions/web/greet")]
    [InlineData("/Functions/greet/", "a:/functions/web/greet")]
    [InlineData("/functions/web/greet/", "a:/functions/web/greet/")] // a qualified path goes on as it came
    public async Task Function_PathForms_ReachTheFunction(string path, string result)
    {
        await using var stub = await StubRuntime.StartAsync("a");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [stub.Url]));

        using var response = await gateway.Client.PostAsync(path, Json("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($$"""{"result":"{{result}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/functions/")]
    [InlineData("/functions//greet")]
    [InlineData("/functions/web/greet/more")]
    public async Task Function_PathsThatNameNoFunction_404WithoutACall(string path)
    {
        await using var stub = await StubRuntime.StartAsync("a");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [stub.Url]));

        using var response = await gateway.Client.PostAsync(path, Json("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, stub.Requests);
    }

    [Fact]
    public async Task Function_OtherMethod_405AllowingPost()
    {
        await using var stub = await StubRuntime.StartAsync("a");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [stub.Url]));

        using var response = await gateway.Client.GetAsync("/functions/greet");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("functions are called with POST, not GET", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        Assert.Equal(0, stub.Requests);
    }

    [Fact]
    public async Task Routes_Republished_NewSnapshotServesAtOnce()
    {
        await using var a = await StubRuntime.StartAsync("a");
        await using var b = await StubRuntime.StartAsync("b");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["greet"], [a.Url]));
        using var before = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        gateway.Publish(2, ("web", ["greet"], [b.Url]));
        using var after = await gateway.Client.PostAsync("/functions/greet", Json("{}"));
        gateway.Publish(3);
        using var gone = await gateway.Client.PostAsync("/functions/greet", Json("{}"));

        Assert.Contains("a:", await before.Content.ReadAsStringAsync());
        Assert.Contains("b:", await after.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(gateway.Destinations.All); // forgotten with the routes that used them
    }

    [Fact]
    public async Task HandlerRoute_PrefixAndExact_ForwardedAsIs()
    {
        await using var wagi = await StubRuntime.StartAsync("wagi");
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Routes.Publish(new RouteDocument(1, [
            GatewayHost.Deployment("site", [], [wagi.Url], [new HandlerRouteSpec("/site/...", ["GET"]), new HandlerRouteSpec("/exact", [])]),
        ]));

        using var below = await gateway.Client.GetAsync("/site/a/b?x=1");
        using var exact = await gateway.Client.DeleteAsync("/exact");
        using var outside = await gateway.Client.GetAsync("/sitemap");

        Assert.Equal("""{"result":"wagi:/site/a/b"}""", await below.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(2, wagi.Requests);
    }

    [Fact]
    public async Task WaitForChange_NewVersionPublished_Completes()
    {
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(7);

        var same = await gateway.Routes.WaitForChangeAsync(7, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        var waiting = gateway.Routes.WaitForChangeAsync(7, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        gateway.Publish(8);
        var changed = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(7, same.Version);
        Assert.Equal(8, changed.Version);
        Assert.Equal(8, (await gateway.Routes.WaitForChangeAsync(7, TimeSpan.FromSeconds(30), CancellationToken.None)).Version);
    }
}
