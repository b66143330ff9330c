using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Http;
using Wafer.Hosting.Http;
using Wafer.Hosting.Telemetry;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Tests.Support;

/// <summary>The gateway's routes in this process on a loopback port, fed by the test through <see cref="Routes"/>.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestCount _requests;

    private GatewayHost(WebApplication app, Uri address, RequestCount requests)
    {
        _app = app;
        _requests = requests;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public RouteState Routes => _app.Services.GetRequiredService<RouteState>();

    public DestinationRegistry Destinations => _app.Services.GetRequiredService<DestinationRegistry>();

    /// <param name="token">The fleet token, which the gateway proves on runtimes' call ports.</param>
    public static Task<GatewayHost> StartAsync(string token) => StartAsync(o => o.Token = token);

    /// <summary>The gateway's clock: the system's, or the fake one the test moves on.</summary>
    public TimeProvider Time => _app.Services.GetRequiredService<TimeProvider>();

    /// <summary>Now on the gateway's clock, as destinations see it.</summary>
    public long Now => Time.NowMs();

    /// <param name="configure">
    /// Settings after the test defaults: periodic probes once an hour, and a silent runtime probed after a minute, so
    /// no probe reaches a stub that counts its requests unless the test asks for it.
    /// </param>
    /// <param name="time">The gateway's clock; the system's by default.</param>
    /// <param name="kestrel">The gateway server's settings (its limits on callers).</param>
    public static async Task<GatewayHost> StartAsync(Action<GatewayOptions>? configure = null, TimeProvider? time = null, Action<KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => kestrel?.Invoke(k));
        builder.Logging.ClearProviders();
        builder.Services.AddWaferProblems();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddWaferGateway(o =>
        {
            o.ProbeInterval = TimeSpan.FromHours(1);
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.StallAfter = TimeSpan.FromMinutes(1);
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.UseExceptionHandler(); // as GatewayApp and the orchestrator do
        var requests = new RequestCount();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref requests.Started);
            try
            {
                await next(context);
            }
            finally
            {
                Interlocked.Increment(ref requests.Finished);
            }
        });
        app.UseWaferGatewayFunctions();
        app.UseStatusCodePages();
        app.UseWaferGatewayHandlers();
        app.MapWaferGateway();
        app.MapWaferMetrics();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayHost(app, new Uri(address), requests);
    }

    /// <summary>
    /// Waits until every request the gateway took so far has been handled to its end (a caller that went away included),
    /// so whatever the gateway concluded about a runtime from it has been concluded.
    /// </summary>
    public async Task WaitUntilIdleAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (Volatile.Read(ref _requests.Finished) != Volatile.Read(ref _requests.Started))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the gateway still handles {_requests.Started - _requests.Finished} request(s)");
            await Task.Delay(10);
        }
    }

    /// <summary>Publishes routes with one function deployment per entry: its name, functions and replica URLs.</summary>
    public void Publish(long version, params (string Name, string[] Functions, string[] Urls)[] deployments) =>
        Routes.Publish(new RouteDocument(version, [.. deployments.Select(d => Deployment(d.Name, d.Functions, d.Urls))]));

    /// <remarks>The gateway parses metadata once per hash, so the hash here follows the function list.</remarks>
    public static DeploymentRoutes Deployment(string name, string[] functions, string[] urls, IReadOnlyList<HandlerRouteSpec>? routes = null) =>
        new(name, name + ":" + string.Join(",", functions), Metadata(functions), routes ?? [], [.. urls.Select((u, i) => new ReplicaAddress($"{name}-rt-{i}", $"rt-{i}", u))]);

    /// <summary><c>wafer.meta</c> JSON declaring <paramref name="functions"/>, each taking <c>name: string</c> and returning a string.</summary>
    public static JsonElement? Metadata(string[] functions) => functions.Length == 0 ? null : JsonDocument.Parse(
        $$"""{"abi":1,"functions":[{{string.Join(",", functions.Select(f => $$"""{"name":"{{f}}","parameters":[{"name":"name","type":"string"}],"result":"string"}"""))}}],"types":[]}""").RootElement.Clone();

    private sealed class RequestCount
    {
        public int Started;
        public int Finished;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
