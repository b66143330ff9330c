using System.Net.Http.Headers;

namespace Wafer.Triggers;

/// <summary>
/// Sends a trigger's calls over HTTP to <c>baseUrl</c>: the runtime's own address, or the orchestrator's gateway, which
/// passes each call to one replica. Going through the same endpoint as any client means the same argument checks, call
/// slots, limits, call logs and metrics, and the same problem for each failure.
/// </summary>
public sealed class HttpTriggerTarget(Func<string> baseUrl, TimeSpan timeout) : ITriggerTarget, IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = timeout,
    };

    public ValueTask<TriggerAnswer> CallAsync(string plugin, string function, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken) =>
        PostAsync($"/functions/{Uri.EscapeDataString(plugin)}/{Uri.EscapeDataString(function)}", argumentsJson, cancellationToken);

    public ValueTask<TriggerAnswer> StartJobAsync(ReadOnlyMemory<byte> jobJson, CancellationToken cancellationToken) =>
        PostAsync("/jobs", jobJson, cancellationToken);

    private async ValueTask<TriggerAnswer> PostAsync(string path, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(baseUrl().TrimEnd('/') + path, content, cancellationToken);
        return new TriggerAnswer((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public void Dispose() => _http.Dispose();
}
