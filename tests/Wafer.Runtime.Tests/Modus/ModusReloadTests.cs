using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>A Modus app hot-reloads like any plugin, and a version Wafer cannot serve never replaces one it serves.</summary>
public sealed class ModusReloadTests
{
    [Fact]
    public async Task UnsupportedMetadataVersion_IsRefusedNamingIt_AndTheOldVersionKeepsServing()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        var reloader = server.Services.GetRequiredService<PluginReloader>();
        ModusFixtures.Copy("simple-example", server.PluginsPath, "app");
        await reloader.ScanAsync();
        Assert.Equal(5, (await server.PostJsonAsync("/functions/app/add", """{"a":2,"b":3}""")).Body.GetProperty("result").GetInt32());

        var bytes = File.ReadAllBytes(ModusFixtures.Wasm("simple-example"));
        var name = "modus_metadata_version"u8.ToArray();
        var at = bytes.AsSpan().IndexOf(name) + name.Length;
        Assert.Equal(2, bytes[at]);
        bytes[at] = 3;
        File.WriteAllBytes(Path.Combine(server.PluginsPath, "app.wasm"), bytes);
        await reloader.ScanAsync();

        var status = reloader.Status.Single(s => s.SourcePath.EndsWith("app.wasm", StringComparison.Ordinal));
        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.Contains("unsupported Modus metadata version 3", status.Error);
        Assert.Equal(5, (await server.PostJsonAsync("/functions/app/add", """{"a":2,"b":3}""")).Body.GetProperty("result").GetInt32());

        ModusFixtures.Copy("my-modus-app", server.PluginsPath, "app");
        await reloader.ScanAsync();
        Assert.Equal("Hello, World!", (await server.PostJsonAsync("/functions/app/sayHello", "{}")).Body.GetProperty("result").GetString());
    }
}
