using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Catalog;

/// <summary>The first scan of the plugins folder, whose plugins load side by side: the order the folder lists them in still decides.</summary>
public sealed class StartScanTests
{
    [Fact]
    public async Task TwoSourcesOfOneName_AtStart_TheFirstTheFolderListsServes_TheOtherIsRefused()
    {
        await using var server = await RuntimeServer.StartAsync([], o =>
        {
            // both present before the runtime starts, so one scan loads them together
            File.Copy(TestGuests.Wasm("echo"), Path.Combine(o.PluginsPath, "a-first.wasm"));
            File.WriteAllText(Path.Combine(o.PluginsPath, "a-first.wafer.json"), """{ "name": "twin" }""");
            File.Copy(TestGuests.Wasm("counter"), Path.Combine(o.PluginsPath, "b-second.wasm"));
            File.WriteAllText(Path.Combine(o.PluginsPath, "b-second.wafer.json"), """{ "name": "twin" }""");
        });

        // the scan's order is the order the folder lists its files, whatever the names
        var listed = Directory.EnumerateFiles(server.PluginsPath, "*.wasm").ToArray();
        var twin = server.Catalog.Current.PluginsByName["twin"];
        Assert.Equal(listed[0], twin.SourcePath);
        var (served, other) = listed[0].EndsWith("a-first.wasm", StringComparison.Ordinal) ? ("hello", "next") : ("next", "hello");
        Assert.True(server.Catalog.Current.ByName.ContainsKey(served));
        Assert.False(server.Catalog.Current.ByName.ContainsKey(other));
        var refused = Assert.Single(server.Services.GetRequiredService<PluginReloader>().Status, s => s.State == PluginSourceStatus.Refused);
        Assert.Equal(listed[1], refused.SourcePath);
        Assert.Equal($"plugin name 'twin' is already served from {listed[0]}", refused.Error);
    }

    [Fact]
    public async Task ManyPlugins_AtStart_AreAllServedBeforeTheServerListens()
    {
        await using var server = await RuntimeServer.StartAsync([], o =>
        {
            for (var i = 0; i < 16; i++)
            {
                File.Copy(TestGuests.Wasm("echo"), Path.Combine(o.PluginsPath, $"p{i:D2}.wasm"));
                File.WriteAllText(Path.Combine(o.PluginsPath, $"p{i:D2}.wafer.json"), $$"""{ "name": "p{{i:D2}}" }""");
            }
        });

        // StartAsync returned: the port is open, and every plugin is already there
        Assert.Equal(16, server.Catalog.Current.PluginsByName.Count);
        var (response, body) = await server.PostJsonAsync("/functions/p15/hello", "");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
    }
}
