using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.GraphQL;
using Wafer.Hosting.Telemetry;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.GraphQL;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Storage;
using Wafer.Runtime.Telemetry;
using Wafer.Runtime.Tests.Support;
using Wafer.Wasm;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>
/// Just the GraphQL endpoints on 127.0.0.1 over a catalog the test fills with test guests directly, without
/// the plugins folder and reloader.
/// </summary>
internal sealed class GraphQLHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WasmHost _wasm;
    private readonly string _cache;

    private GraphQLHost(WebApplication app, WasmHost wasm, string cache, Uri address)
    {
        _app = app;
        _wasm = wasm;
        _cache = cache;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public PluginCatalog Catalog => _app.Services.GetRequiredService<PluginCatalog>();

    public GraphQLSchemaProvider Provider => _app.Services.GetRequiredService<GraphQLSchemaProvider>();

    /// <summary>Calls started and finished by the invoker, to tell whether a request called a guest at all.</summary>
    public CallCounters Counters => _app.Services.GetRequiredService<CallCounters>();

    public static async Task<GraphQLHost> StartAsync(int maxRequestBytes = 64 * 1024, Action<GraphQLOptions>? graphql = null)
    {
        var cache = Path.Combine(Path.GetTempPath(), "wafer-tests", "graphql-" + Guid.NewGuid().ToString("N")[..12]);
        var wasm = new WasmHost(new WasmHostOptions { CacheDirectory = cache }, NullLogger<WasmHost>.Instance);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOptions<RuntimeOptions>().Configure(o =>
        {
            o.MaxRequestBytes = maxRequestBytes;
            graphql?.Invoke(o.GraphQL);
        });
        builder.Services.AddSingleton<PluginCatalog>();
        builder.Services.AddSingleton(SqlDatabase.Open(Path.Combine(cache, "wafer.db"), cache));
        builder.Services.AddSingleton<ICallLogStore, SqlCallLogStore>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StateDatabaseHealth>();
        builder.Services.AddSingleton<CallLogTail>();
        builder.Services.AddSingleton<CallLogWriter>();
        builder.Services.AddSingleton<GuestLogSink>();
        builder.Services.AddSingleton<CallCounters>();
        builder.Services.AddSingleton(new Wafer.Runtime.Execution.CallSlots(new RuntimeOptions().Slots()));
        builder.Services.AddWaferMetrics();
        builder.Services.AddSingleton<RuntimeMetrics>();
        builder.Services.AddSingleton<FunctionInvoker>();
        builder.Services.AddSingleton<IInferenceStore, SqlInferenceStore>();
        builder.Services.AddWaferCapabilities();
        builder.Services.AddWaferGraphQL();
        var app = builder.Build();
        app.MapWaferGraphQL();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GraphQLHost(app, wasm, cache, new Uri(address));
    }

    /// <summary>Loads a test guest into the catalog as plugin <paramref name="name"/> (default: the guest's name).</summary>
    public void Load(string guest, string? name = null, int? timeoutMs = null)
    {
        var path = TestGuests.Wasm(guest);
        var manifest = PluginManifest.ForName(name ?? guest);
        if (timeoutMs is { } timeout)
        {
            manifest = manifest with { Limits = manifest.Limits with { TimeoutMs = timeout } };
        }

        var loader = new PluginLoader(_wasm, new FolderGrants(Path.Combine(_cache, "data"), null, []), Microsoft.Extensions.Options.Options.Create(new Wafer.Runtime.Hosting.RuntimeOptions()));
        Catalog.Upsert(loader.Load(File.ReadAllBytes(path), manifest, path));
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostAsync(string body, string? contentType = "application/json", string? accept = null)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpResponseMessage Response, string Body)> GetAsync(string pathAndQuery, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var response = await Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public Task<(HttpResponseMessage Response, string Body)> QueryAsync(string query, string? accept = null) =>
        PostAsync(JsonSerializer.Serialize(new { query }), accept: accept);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _wasm.Dispose();
        try
        {
            Directory.Delete(_cache, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover cache folder in temp is harmless
        }
    }
}
