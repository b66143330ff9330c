using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wafer.Wasm;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>The orchestrator's artifact store as a runtime sees it: <c>GET /api/artifacts/{hash}</c> on 127.0.0.1.</summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _artifacts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string?> _authorizations = new();
    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>When set, requests without <c>Authorization: Bearer TOKEN</c> get 401.</summary>
    public string? Token { get; set; }

    /// <summary>The Authorization header of every request, in order.</summary>
    public IReadOnlyList<string?> Authorizations => [.. _authorizations];

    public static async Task<ArtifactServer> StartAsync()
    {
        var server = new ArtifactServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/api/artifacts/{hash}", (string hash, HttpRequest request) =>
        {
            var authorization = request.Headers.Authorization.FirstOrDefault();
            server._authorizations.Enqueue(authorization);
            if (server.Token is { } token && authorization != "Bearer " + token)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            return server._artifacts.TryGetValue(hash, out var bytes) ? Results.Bytes(bytes, "application/wasm") : Results.NotFound();
        });
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = app.Urls.First();
        return server;
    }

    /// <summary>Stores <paramref name="wasm"/>; returns its hash and URL.</summary>
    public (string Hash, string Url) Add(byte[] wasm)
    {
        var hash = WasmHost.Sha256Hex(wasm);
        _artifacts[hash] = wasm;
        return (hash, UrlOf(hash));
    }

    public string UrlOf(string hash) => $"{BaseUrl}/api/artifacts/{hash}";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
