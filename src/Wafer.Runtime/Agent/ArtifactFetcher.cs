using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;
using Wafer.Wasm;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Downloads a module's wasm from the orchestrator's artifact store (bearer token when configured) and checks that its
/// SHA-256 is the hash the command named. Every failure is a <see cref="ModuleRefusedException"/> with the reason.
/// </summary>
public sealed class ArtifactFetcher : IDisposable
{
    public const long MaxArtifactBytes = 256L * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly string? _token;
    private readonly TimeSpan _timeout;
    private readonly byte[]? _callPortKey;

    public ArtifactFetcher(IOptions<RuntimeOptions> options)
    {
        _callPortKey = options.Value.ApiToken is { Length: > 0 } apiToken ? Protocol.Security.FleetKeys.CallPort(apiToken) : null;
        var agent = options.Value.Agent;
        _token = agent.ControlToken;
        _timeout = agent.ArtifactTimeout;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxArtifactBytes,
        };
    }

    /// <summary>The verified wasm bytes whose SHA-256 is <paramref name="expectedHash"/> (lower-case hex).</summary>
    public async Task<byte[]> FetchAsync(string artifactUrl, string expectedHash, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(artifactUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new ModuleRefusedException($"download failed: artifactUrl '{artifactUrl}' is not an absolute http:// or https:// URL");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        byte[] bytes;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (_token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ModuleRefusedException($"download failed: GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > MaxArtifactBytes)
            {
                throw new ModuleRefusedException($"download failed: the artifact is {response.Content.Headers.ContentLength} bytes; the limit is {MaxArtifactBytes}");
            }

            bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModuleRefusedException($"download failed: GET {url} timed out after {_timeout.TotalSeconds:0.#}s");
        }
        catch (HttpRequestException ex)
        {
            throw new ModuleRefusedException($"download failed: GET {url}: {ex.Message}", ex);
        }

        var actual = WasmHost.Sha256Hex(bytes);
        return string.Equals(actual, expectedHash, StringComparison.OrdinalIgnoreCase)
            ? bytes
            : throw new ModuleRefusedException($"hash mismatch: expected {expectedHash}, got {actual}");
    }

    /// <summary>
    /// Sends requests to this runtime's own HTTP server through the download client: a health check and a call of a
    /// function that does not exist, and that call again to <paramref name="ownH2cUrl"/> (the listener gateways use)
    /// over HTTP/2 and over the call protocol, when there is one. A fresh process spends several hundred milliseconds
    /// compiling the HTTP client, the server pipeline and the function endpoint on first use; paying that while the
    /// runtime joins (it announces itself meanwhile) keeps most of it off the first deployment's download and first
    /// calls. Failures only mean a colder start.
    /// </summary>
    /// <returns>How long the warm-up took, or null when a request failed.</returns>
    public async Task<TimeSpan?> WarmUpAsync(string ownUrl, string? ownH2cUrl, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using (var health = await _http.GetAsync($"{ownUrl}/healthz", timeout.Token))
            {
                await health.Content.ReadAsByteArrayAsync(timeout.Token);
            }

            await CallMissingFunctionAsync(ownUrl, HttpVersion.Version11, timeout.Token);
            if (ownH2cUrl is not null)
            {
                await CallMissingFunctionAsync(ownH2cUrl, HttpVersion.Version20, timeout.Token);
                await Calls.CallProtocolWarmUp.CallAsync(ownH2cUrl, _callPortKey, "wafer-warm-up", "none", timeout.Token);
            }

            return System.Diagnostics.Stopwatch.GetElapsedTime(started);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or InvalidDataException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task CallMissingFunctionAsync(string baseUrl, Version version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/functions/wafer-warm-up/none")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await _http.SendAsync(request, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}
