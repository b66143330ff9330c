using System.Net.Sockets;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// Checks a runtime with <c>GET URL/healthz</c> within a timeout and posts what it found to the reconciler's inbox. A
/// process that died refuses the connection at once, a machine that vanished times out; either is evidence about the
/// runtime, which a lost broker is not. At most <see cref="MaxConcurrent"/> checks run at a time.
/// </summary>
internal sealed class RuntimeHealthProbes : IRuntimeProbes, IDisposable
{
    public const int MaxConcurrent = 16;

    private readonly IFleetEvents _events;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private readonly CancellationTokenSource _stopping = new();

    public RuntimeHealthProbes(IFleetEvents events, TimeSpan timeout)
    {
        _events = events;
        _client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = timeout, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = timeout,
        };
    }

    public void Probe(string runtimeId, string url, DateTimeOffset requestedAt) => _ = ProbeAsync(runtimeId, url, requestedAt);

    public void Dispose()
    {
        _stopping.Cancel();
        _client.Dispose();
        _stopping.Dispose();
    }

    private async Task ProbeAsync(string runtimeId, string url, DateTimeOffset requestedAt)
    {
        var token = _stopping.Token;
        try
        {
            await _slots.WaitAsync(token);
            try
            {
                var (reachable, detail) = await CheckAsync(url, token);
                await _events.PostAsync(new RuntimeProbed(runtimeId, requestedAt, reachable, detail), token);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && token.IsCancellationRequested)
        {
        }
    }

    private async Task<(bool Reachable, string Detail)> CheckAsync(string url, CancellationToken stopping)
    {
        try
        {
            using var response = await _client.GetAsync(url.TrimEnd('/') + "/healthz", HttpCompletionOption.ResponseHeadersRead, stopping);
            return (response.IsSuccessStatusCode, $"GET /healthz answered {(int)response.StatusCode}");
        }
        catch (HttpRequestException ex)
        {
            return (false, ex.InnerException is SocketException socket ? $"GET /healthz failed: {socket.SocketErrorCode}" : $"GET /healthz failed: {ex.Message}");
        }
        catch (TaskCanceledException) when (!stopping.IsCancellationRequested)
        {
            return (false, $"GET /healthz got no answer within {_client.Timeout.TotalSeconds:0.#}s");
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException)
        {
            return (false, $"GET /healthz cannot be sent to '{url}': {ex.Message}");
        }
    }
}
