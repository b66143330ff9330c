using System.Net;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Catalog;

/// <summary>
/// A scan of the plugins folder publishes what it loaded in one catalog update: readers never see part of a folder,
/// and a folder of many plugins costs one snapshot instead of one per plugin (each snapshot indexes everything served).
/// </summary>
public sealed class FolderScanPublishTests
{
    private const int Copies = 30;

    [Fact]
    public async Task Start_WithManyPlugins_PublishesThemAllInOneCatalogVersion()
    {
        await using var server = await RuntimeServer.StartAsync([], o =>
        {
            o.NoReload = true;
            for (var i = 1; i <= Copies; i++)
            {
                RuntimeServer.CopyGuest("echo", o.PluginsPath, $"copy{i:00}");
            }
        });

        var current = server.Catalog.Current;
        Assert.Equal(Copies, current.Plugins.Count);
        Assert.Equal(1, current.Version);
        var (response, body) = await server.PostJsonAsync("/functions/copy17/hello", "");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", body.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Rescan_OfPluginsAddedTogether_ReadersSeeAllOrNone()
    {
        await using var server = await RuntimeServer.StartAsync(["echo"], o => o.NoReload = true);
        var published = new List<int>();
        server.Catalog.Changed += snapshot => published.Add(snapshot.Plugins.Count);

        for (var i = 1; i <= Copies; i++)
        {
            RuntimeServer.CopyGuest("echo", server.PluginsPath, $"copy{i:00}");
        }

        await server.Services.GetRequiredService<PluginReloader>().ScanAsync();

        Assert.Equal([Copies + 1], published);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/copy30/hello", "")).Response.StatusCode);
    }

    [Fact]
    public async Task TwoNewFiles_NamingOnePlugin_OneIsServedAndTheOtherRefusedWithWhy()
    {
        await using var server = await RuntimeServer.StartAsync([], o =>
        {
            o.NoReload = true;
            foreach (var file in new[] { "first", "second" })
            {
                RuntimeServer.CopyGuest("echo", o.PluginsPath, file);
                File.WriteAllText(Path.Combine(o.PluginsPath, file + PluginFolder.ManifestSuffix), """{"name":"shared"}""");
            }
        });

        Assert.Equal(["shared"], server.Catalog.Current.Plugins.Select(p => p.Name));
        var status = server.Services.GetRequiredService<PluginReloader>().Status;
        var served = Assert.Single(status, s => s.State == PluginSourceStatus.Loaded);
        var refused = Assert.Single(status, s => s.State == PluginSourceStatus.Refused);
        Assert.Equal("shared", served.Name);
        Assert.Equal($"plugin name 'shared' is already served from {served.SourcePath}", refused.Error);
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/shared/hello", "")).Response.StatusCode);
    }
}
