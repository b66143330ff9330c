using System.Net;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Catalog;

/// <summary>Adding, replacing and removing plugins in a served folder, including broken versions.</summary>
public sealed class HotReloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AddedPlugin_IsServedWithoutRestart()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonAsync("/functions/hello", "")).Response.StatusCode);

        RuntimeServer.CopyGuest("echo", server.PluginsPath);
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("hello"), "echo to load", Deadline);
        var (response, body) = await server.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
    }

    [Fact]
    public async Task RemovedPlugin_StopsBeingServed()
    {
        await using var server = await RuntimeServer.StartAsync(["echo"]);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/hello", "")).Response.StatusCode);

        File.Delete(Path.Combine(server.PluginsPath, "echo.wasm"));
        await Eventually.TrueAsync(() => server.Catalog.Current.Plugins.Count == 0, "echo to unload", Deadline);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
    }

    [Theory]
    [InlineData("garbage", "not a WebAssembly module")]
    [InlineData("no-meta", "wafer.meta")]
    [InlineData("manifest", "$.limits.timeoutMs must be between")]
    public async Task BrokenNewVersion_IsRefusedAndTheOldOneKeepsServing(string breakage, string reason)
    {
        await using var server = await RuntimeServer.StartAsync(["echo"]);
        var before = server.Catalog.Current.PluginsByName["echo"].Hash;
        var wasm = Path.Combine(server.PluginsPath, "echo.wasm");
        switch (breakage)
        {
            case "garbage":
                File.WriteAllText(wasm, "this is not wasm");
                break;
            case "no-meta":
                File.Copy(TestGuests.Wasm("no-meta"), wasm, overwrite: true);
                break;
            default:
                File.WriteAllText(Path.Combine(server.PluginsPath, "echo.wafer.json"), """{"name":"echo","limits":{"timeoutMs":0}}""");
                break;
        }

        var reloader = server.Services.GetRequiredService<PluginReloader>();
        await Eventually.TrueAsync(
            () => reloader.Status.Any(s => s.State == PluginSourceStatus.Refused), "the broken version to be refused", Deadline);

        var status = reloader.Status.Single(s => s.SourcePath.EndsWith("echo.wasm", StringComparison.Ordinal));
        Assert.Contains(reason, status.Error);
        Assert.Equal(before, server.Catalog.Current.PluginsByName["echo"].Hash);
        var (response, body) = await server.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());

        var plugins = JsonDocument.Parse(await server.Client.GetStringAsync("/api/plugins")).RootElement;
        Assert.Contains(plugins.GetProperty("sources").EnumerateArray(), s => s.GetProperty("state").GetString() == "refused");
    }

    [Fact]
    public async Task ReplacedPlugin_ServesTheNewVersion()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        RuntimeServer.CopyGuest("echo", server.PluginsPath, "swap");
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("hello"), "first version", Deadline);

        RuntimeServer.CopyGuest("counter", server.PluginsPath, "swap");
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("next"), "second version", Deadline);
        Assert.False(server.Catalog.Current.ByName.ContainsKey("hello"));
        var (response, body) = await server.PostJsonAsync("/functions/next", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task InFlightCall_FinishesOnItsVersionDuringReplace()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        RuntimeServer.CopyGuest("loop", server.PluginsPath, "slow");
        File.WriteAllText(Path.Combine(server.PluginsPath, "slow.wafer.json"), """{"name":"slow","limits":{"timeoutMs":1500}}""");
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("spin"), "loop to load", Deadline);

        var inFlight = server.PostJsonAsync("/functions/spin", "");
        var calls = server.Services.GetRequiredService<Wafer.Runtime.Invocation.CallCounters>();
        await Eventually.TrueAsync(() => calls.InFlight == 1, "the call to start on the first version", Deadline);
        RuntimeServer.CopyGuest("echo", server.PluginsPath, "slow");
        await Eventually.TrueAsync(() => server.Catalog.Current.ByName.ContainsKey("hello"), "replacement", Deadline);

        // The old version was retired mid-call; the call still ends on it, with its own timeout, not a crash.
        var (response, body) = await inFlight;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("slow/spin", body.GetProperty("function").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
    }

    [Fact]
    public async Task SameFunctionInTwoPlugins_IsAmbiguousByNameAndReachableQualified()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        RuntimeServer.CopyGuest("echo", server.PluginsPath, "first");
        RuntimeServer.CopyGuest("echo", server.PluginsPath, "second");
        await server.Services.GetRequiredService<PluginReloader>().ScanAsync();

        var (response, body) = await server.PostJsonAsync("/functions/hello", "");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("/functions/first/hello", body.GetProperty("detail").GetString());
        Assert.Contains("/functions/second/hello", body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/second/hello", "")).Response.StatusCode);
    }

    [Fact]
    public async Task NoReload_IgnoresLaterChanges()
    {
        await using var server = await RuntimeServer.StartAsync(["echo"], o => o.NoReload = true);
        File.Delete(Path.Combine(server.PluginsPath, "echo.wasm"));
        RuntimeServer.CopyGuest("counter", server.PluginsPath);
        await Task.Delay(1000); // several poll intervals of the default test refresh (300 ms)
        Assert.True(server.Catalog.Current.ByName.ContainsKey("hello"));
        Assert.False(server.Catalog.Current.ByName.ContainsKey("next"));
    }
}
