using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wafer.Gateway.Tests.Support;

/// <summary>
/// Stands in for a runtime on a loopback port: answers every request with <c>respond</c> and counts them, by HTTP
/// version too. With <c>h2c</c>, a second port serves HTTP/2 with prior knowledge, like a fleet runtime's.
/// </summary>
public sealed class StubRuntime : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _http2Requests;

    private StubRuntime(WebApplication app, string url, string? h2cUrl)
    {
        _app = app;
        Url = url;
        H2cUrl = h2cUrl;
    }

    public string Url { get; }

    /// <summary>The HTTP/2 cleartext listener's URL; null unless started with <c>h2c</c>.</summary>
    public string? H2cUrl { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>How many of <see cref="Requests"/> came over HTTP/2.</summary>
    public int Http2Requests => Volatile.Read(ref _http2Requests);

    /// <summary>The body of the last request.</summary>
    public string? LastBody { get; private set; }

    public static async Task<StubRuntime> StartAsync(string name, Func<HttpContext, Task>? respond = null, bool h2c = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            if (h2c)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listener => listener.Protocols = HttpProtocols.Http2);
            }
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StubRuntime? stub = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref stub!._requests);
            if (context.Request.Protocol == "HTTP/2")
            {
                Interlocked.Increment(ref stub._http2Requests);
            }

            using var reader = new StreamReader(context.Request.Body);
            stub.LastBody = await reader.ReadToEndAsync();
            if (respond is not null)
            {
                await respond(context);
                return;
            }

            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Wafer-Call-Id"] = name + "-1";
            await context.Response.WriteAsync($$"""{"result":"{{name}}:{{context.Request.Path}}"}""");
        });
        await app.StartAsync();
        var urls = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        stub = new StubRuntime(app, urls[0], h2c ? urls[1] : null);
        return stub;
    }

    /// <summary>A loopback URL nothing listens on: connections to it are refused.</summary>
    public static string RefusingUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
