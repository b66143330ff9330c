using System.Net;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Handlers;

/// <summary>Routes come from the catalog snapshot: hot reload changes them, and conflicts are refused.</summary>
public sealed class RouteReloadTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    private PluginReloader Reloader => _server.Services.GetRequiredService<PluginReloader>();

    public async ValueTask InitializeAsync() => _server = await RuntimeServer.StartAsync(["c-wagi"]);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConflictingRoute_IsRefusedAndTheFirstPluginKeepsServing()
    {
        RuntimeServer.CopyGuest("c-wagi", _server.PluginsPath, "wagi-rival");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "wagi-rival.wafer.json"),
            """{"name":"wagi-rival","type":"command","routes":[{"path":"/wagi/...","methods":["POST","PUT"]}]}""");
        await Reloader.ScanAsync();

        var status = Reloader.Status.Single(s => s.SourcePath.EndsWith("wagi-rival.wasm", StringComparison.Ordinal));
        Assert.Equal("refused", status.State);
        Assert.Equal("route 'POST,PUT /wagi/...' conflicts with 'GET,POST /wagi/...' of plugin 'c-wagi'", status.Error);
        Assert.False(_server.Catalog.Current.PluginsByName.ContainsKey("wagi-rival"));
        Assert.Equal("Hello, WAGI!\n", await _server.Client.GetStringAsync("/wagi/hello"));
    }

    [Fact]
    public async Task RefusedForAConflict_IsServedOnceTheOtherPluginGoes()
    {
        RuntimeServer.CopyGuest("c-wagi", _server.PluginsPath, "wagi-rival");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "wagi-rival.wafer.json"),
            """{"name":"wagi-rival","type":"command","routes":[{"path":"/wagi/...","methods":["GET","PUT"]}]}""");
        await Reloader.ScanAsync();
        Assert.False(_server.Catalog.Current.PluginsByName.ContainsKey("wagi-rival"));

        File.Delete(Path.Combine(_server.PluginsPath, "c-wagi.wasm"));
        await Reloader.ScanAsync();

        var status = Reloader.Status.Single(s => s.SourcePath.EndsWith("wagi-rival.wasm", StringComparison.Ordinal));
        Assert.Equal("loaded", status.State);
        Assert.Null(status.Error);
        Assert.True(_server.Catalog.Current.PluginsByName.ContainsKey("wagi-rival"));
        Assert.Equal("Hello, WAGI!\n", await _server.Client.GetStringAsync("/wagi/hello"));
    }

    [Fact]
    public async Task RefusedForATakenName_IsServedOnceTheOwnerGoes()
    {
        RuntimeServer.CopyGuest("c-wagi", _server.PluginsPath, "z-copy");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "z-copy.wafer.json"), """{"name":"c-wagi","type":"command","routes":[{"path":"/copy/..."}]}""");
        await Reloader.ScanAsync();
        Assert.Equal("refused", Reloader.Status.Single(s => s.SourcePath.EndsWith("z-copy.wasm", StringComparison.Ordinal)).State);

        File.Delete(Path.Combine(_server.PluginsPath, "c-wagi.wasm"));
        await Reloader.ScanAsync();

        Assert.Equal("loaded", Reloader.Status.Single(s => s.SourcePath.EndsWith("z-copy.wasm", StringComparison.Ordinal)).State);
        Assert.Equal("Hello, WAGI!\n", await _server.Client.GetStringAsync("/copy/hello"));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/wagi/hello")).StatusCode);
    }

    [Fact]
    public async Task SamePathWithOtherMethods_IsServedByEachPlugin()
    {
        RuntimeServer.CopyGuest("c-wagi", _server.PluginsPath, "wagi-put");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "wagi-put.wafer.json"),
            """{"name":"wagi-put","type":"command","routes":[{"path":"/wagi/...","methods":["PUT"]}]}""");
        await Reloader.ScanAsync();

        var response = await _server.Client.PutAsync("/wagi/env", new StringContent("x"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("REQUEST_METHOD=PUT", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChangedManifest_ServesTheNewRoutesOnly()
    {
        File.WriteAllText(Path.Combine(_server.PluginsPath, "c-wagi.wafer.json"),
            """{"name":"c-wagi","type":"command","routes":[{"path":"/moved/..."}]}""");
        await Reloader.ScanAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/wagi/hello")).StatusCode);
        Assert.Equal("Hello, WAGI!\n", await _server.Client.GetStringAsync("/moved/hello"));
    }

    [Theory]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"/jobs/mine"}]}""", "$.routes[0].path must not be under /jobs, which the runtime serves itself")]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"/Jobs/mine"}]}""", "$.routes[0].path must not be under /jobs, which the runtime serves itself")]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"/API/logs"}]}""", "$.routes[0].path must not be under /api, which the runtime serves itself")]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"/%2e%2e/x"}]}""", "$.routes[0].path must not hold percent-encoded characters")]
    [InlineData("""{"name":"r","routes":[{"path":"/x"}]}""", "$.routes is only for command plugins: add \"type\": \"command\"")]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"x"}]}""", "$.routes[0].path must start with '/', got 'x'")]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"/a/.../b"}]}""", "$.routes[0].path may use '...' only as its last segment")]
    [InlineData("""{"name":"r","type":"command","routes":[{"path":"/a","methods":["FETCH"]}]}""", "$.routes[0].methods[0] must be one of GET, HEAD, POST")]
    [InlineData("""{"name":"r","type":"cmd"}""", "$.type must be \"functions\" or \"command\", got 'cmd'")]
    public async Task BadRouteManifest_IsRefusedWithItsPath(string manifest, string expected)
    {
        RuntimeServer.CopyGuest("c-wagi", _server.PluginsPath, "r");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "r.wafer.json"), manifest);
        await Reloader.ScanAsync();

        var status = Reloader.Status.Single(s => s.SourcePath.EndsWith("/r.wasm", StringComparison.Ordinal));
        Assert.Equal("refused", status.State);
        Assert.Contains(expected, status.Error);
    }

    [Fact]
    public async Task CommandModuleWithoutTypeCommand_IsRefusedWithAHint()
    {
        RuntimeServer.CopyGuest("c-job", _server.PluginsPath, "untyped");
        await Reloader.ScanAsync();

        var status = Reloader.Status.Single(s => s.SourcePath.EndsWith("untyped.wasm", StringComparison.Ordinal));
        Assert.Equal("refused", status.State);
        Assert.Equal("module has no wafer.meta custom section (for a WASI command module, set \"type\": \"command\" in the manifest)", status.Error);
    }

    [Fact]
    public async Task FunctionsModuleAsCommand_IsRefusedForItsImports()
    {
        RuntimeServer.CopyGuest("c-calc", _server.PluginsPath, "not-a-command");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "not-a-command.wafer.json"), """{"name":"not-a-command","type":"command"}""");
        await Reloader.ScanAsync();

        var status = Reloader.Status.Single(s => s.SourcePath.EndsWith("not-a-command.wasm", StringComparison.Ordinal));
        Assert.Equal("refused", status.State);
        Assert.StartsWith("a command module may import only wasi_snapshot_preview1 functions; unsupported: 'wafer.abort', 'wafer.result'", status.Error);
    }
}
