using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.ControlPlane.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>
/// A real orchestrator in this process: HTTP on a free loopback port, its in-process MQTT broker on another, a SQLite
/// database and artifacts in a temporary folder.
/// </summary>
internal sealed class OrchestratorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OrchestratorHost(WebApplication app, OrchestratorOptions options, Uri address)
    {
        _app = app;
        Options = options;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public OrchestratorOptions Options { get; }

    public HttpClient Client { get; }

    public string BrokerUrl => $"mqtt://127.0.0.1:{Options.BrokerPort}";

    public FleetView View => _app.Services.GetRequiredService<FleetView>();

    public static async Task<OrchestratorHost> StartAsync(Action<OrchestratorOptions>? configure = null)
    {
        var root = TestDatabases.TempFolder();
        var options = new OrchestratorOptions
        {
            Port = 0,
            BrokerPort = LoopbackPorts.Free(),
            StoragePath = root,
            Database = Path.Combine(root, "orchestrator.db"),
            ReconcileInterval = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var app = OrchestratorApp.Build(options, minimumLevel: LogLevel.Warning);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new OrchestratorHost(app, options, new Uri(address));
        await Eventually.TrueAsync(async () => (await host.Client.GetAsync("/readyz")).IsSuccessStatusCode, "the orchestrator is ready");
        return host;
    }

    /// <param name="token">Sent as the bearer token: reads name addresses only to its holders.</param>
    public async Task<JsonElement> GetJsonAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
