using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Tests.Support;

/// <summary>
/// A real runtime on 127.0.0.1 with a port of its own, serving a temporary plugins folder seeded from the
/// test guests. Tests add, replace and remove plugins in <see cref="PluginsPath"/> like a user would.
/// </summary>
public sealed class RuntimeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _root;
    private int _disposed;

    private RuntimeServer(WebApplication app, string root, string plugins, Uri address)
    {
        _app = app;
        _root = root;
        PluginsPath = plugins;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string PluginsPath { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public PluginCatalog Catalog => Services.GetRequiredService<PluginCatalog>();

    public static async Task<RuntimeServer> StartAsync(
        IEnumerable<string> guests, Action<RuntimeOptions>? configure = null, string? storagePath = null, Action<IServiceCollection>? services = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        var plugins = Path.Combine(root, "plugins");
        Directory.CreateDirectory(plugins);
        foreach (var guest in guests)
        {
            CopyGuest(guest, plugins);
        }

        var options = new RuntimeOptions
        {
            PluginsPath = plugins,
            StoragePath = storagePath ?? StorageSharingTheCompiledCode(root),
            Refresh = TimeSpan.FromMilliseconds(300),
            Database = Path.Combine(root, "wafer.db"),
        };
        configure?.Invoke(options);
        var app = RuntimeApp.Build(options, "http://127.0.0.1:0", minimumLevel: LogLevel.Warning, services: services);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RuntimeServer(app, root, plugins, new Uri(address));
    }

    /// <summary>
    /// A storage folder of the test's own (uploads, placed modules, data folders and their records are not seen by
    /// tests running beside it, whose start would sweep their files), whose compiled-code cache is shared by all tests
    /// so each guest compiles once: the cache is content-addressed, safe to share.
    /// </summary>
    private static string StorageSharingTheCompiledCode(string root)
    {
        var storage = Path.Combine(root, "storage");
        var sharedCache = Path.Combine(TestGuests.RepositoryRoot, "tests", "guests", "out", ".storage", "cache");
        Directory.CreateDirectory(storage);
        Directory.CreateDirectory(sharedCache);
        Directory.CreateSymbolicLink(Path.Combine(storage, "cache"), sharedCache);
        return storage;
    }

    /// <summary>Copies a test guest's wasm and manifest into a plugins folder, optionally under another file name.</summary>
    public static void CopyGuest(string guest, string folder, string? fileName = null)
    {
        var name = fileName ?? guest;
        File.Copy(TestGuests.Wasm(guest), Path.Combine(folder, name + ".wasm"), overwrite: true);
        if (File.Exists(TestGuests.Manifest(guest)) && fileName is null)
        {
            File.Copy(TestGuests.Manifest(guest), Path.Combine(folder, name + PluginFolder.ManifestSuffix), overwrite: true);
        }
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, body);
    }

    public async Task<JsonElement> GraphQLAsync(string query, object? variables = null)
    {
        var response = await Client.PostAsJsonAsync("/graphql", new { query, variables });
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // stopped by the test already
        }

        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
