using System.Net;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Catalog;

/// <summary>
/// What <c>--plugins</c> may point at besides a folder of plugins: one plugin's own project folder (Hypermode's workflow),
/// and what a folder that yields no plugin says.
/// </summary>
public sealed class PluginsFolderShapeTests
{
    [Fact]
    public async Task PluginsPointingAtOneProjectFolder_ServesThatPluginFromItsBuildOutput()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        Directory.CreateDirectory(Path.Combine(server.PluginsPath, "build"));
        File.WriteAllText(Path.Combine(server.PluginsPath, "wafer.json"), """{"name":"myplugin"}""");
        File.Copy(TestGuests.Wasm("echo"), Path.Combine(server.PluginsPath, "build", "myplugin.wasm"));

        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("myplugin"), "the project to load", TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await server.PostJsonAsync("/functions/myplugin/hello", "{}")).Response.StatusCode);
    }

    [Fact]
    public async Task FolderThatYieldsNoPlugin_IsLoggedOnce_SayingWhatAPluginsFolderHolds()
    {
        var log = new CapturingLoggerProvider();
        await using var server = await RuntimeServer.StartAsync([], services: s =>
        {
            s.AddSingleton<ILoggerProvider>(log);
            s.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        });
        Directory.CreateDirectory(Path.Combine(server.PluginsPath, "assembly"));
        File.WriteAllText(Path.Combine(server.PluginsPath, "package.json"), "{}"); // a plugin's sources, no wafer.json and no build

        var reloader = server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>();
        await reloader.ScanAsync();
        await reloader.ScanAsync();

        var warning = Assert.Single(log.Lines, l => l.Contains("[NoPluginsInFolder]", StringComparison.Ordinal));
        Assert.Contains($"{server.PluginsPath} holds no plugin", warning);
        Assert.Contains("plugin project folders with a wafer.json", warning);
    }

    [Fact]
    public async Task SubFolderOfBareWasm_IsLoggedOnceAsIgnored_WhileTheOtherPluginsServe()
    {
        var log = new CapturingLoggerProvider();
        await using var server = await RuntimeServer.StartAsync(["echo"], services: s =>
        {
            s.AddSingleton<ILoggerProvider>(log);
            s.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        });
        var nested = Path.Combine(server.PluginsPath, "more");
        Directory.CreateDirectory(nested);
        File.Copy(TestGuests.Wasm("echo"), Path.Combine(nested, "other.wasm"));

        var reloader = server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>();
        await reloader.ScanAsync();
        await reloader.ScanAsync();

        var warning = Assert.Single(log.Lines, l => l.Contains("[FolderIgnored]", StringComparison.Ordinal));
        Assert.Contains($"{nested} is ignored: it holds .wasm files but no wafer.json", warning);
        Assert.DoesNotContain(log.Lines, l => l.Contains("[NoPluginsInFolder]", StringComparison.Ordinal));
        Assert.False(server.Catalog.Current.PluginsByName.ContainsKey("other"));
        Assert.True(server.Catalog.Current.PluginsByName.ContainsKey("echo"));
    }
}
