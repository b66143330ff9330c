using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wafer.Gateway.Tests.Support;

/// <summary>Stands in for a runtime on a loopback port: answers every request with <c>respond</c> and counts them.</summary>
public sealed class StubRuntime : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private StubRuntime(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The body of the last request.</summary>
    public string? LastBody { get; private set; }

    public static async Task<StubRuntime> StartAsync(string name, Func<HttpContext, Task>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StubRuntime? stub = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref stub!._requests);
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
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new StubRuntime(app, url);
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
