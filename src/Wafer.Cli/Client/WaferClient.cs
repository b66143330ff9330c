using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Wafer.Cli.Client;

/// <summary>
/// HTTP to an orchestrator or a runtime. Every answer that is not a success becomes a <see cref="CliException"/> with
/// the server's problem detail and the exit code of its kind (not found, unauthorized, unreachable, failed).
/// </summary>
public sealed class WaferClient : IDisposable
{
    private readonly HttpClient _http;
    private ServerInfo? _info;

    /// <param name="timeout">How long one request may take (default 2 minutes).</param>
    public WaferClient(Uri server, string? token, TimeSpan? timeout = null)
    {
        Server = server;
        Token = token;
        _http = new HttpClient { BaseAddress = server, Timeout = timeout ?? TimeSpan.FromMinutes(2) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Server { get; }

    /// <summary>The bearer token the requests carry, if any.</summary>
    public string? Token { get; }

    /// <summary>What answers at the server (asked once).</summary>
    public async Task<ServerInfo> InfoAsync(CancellationToken cancellationToken)
    {
        if (_info is not null)
        {
            return _info;
        }

        JsonElement body;
        try
        {
            body = await GetAsync("api/info", cancellationToken);
        }
        catch (CliException ex) when (ex.ExitCode == ExitCodes.NotFound)
        {
            throw new CliException(ExitCodes.Failed, $"{Server} does not look like a Wafer orchestrator or runtime (GET /api/info answered 404)");
        }

        var kind = Output.Text(body, "kind");
        _info = new ServerInfo(kind.Length == 0 ? "unknown" : kind, Output.Text(body, "version"), Output.Text(body, "name") is { Length: > 0 } n ? n : null);
        return _info;
    }

    /// <summary>The server's info when it is an orchestrator or a runtime; else a usage error naming the verb.</summary>
    public async Task<ServerInfo> RequireAsync(string verb, CancellationToken cancellationToken, bool orchestratorOnly = false)
    {
        var info = await InfoAsync(cancellationToken);
        if (info.IsOrchestrator || (info.IsRuntime && !orchestratorOnly))
        {
            return info;
        }

        var needs = orchestratorOnly ? "an orchestrator" : "an orchestrator or a runtime";
        throw new CliException(ExitCodes.Usage, $"'wafer {verb}' needs {needs}, but {Server} is a {info.Kind}");
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    public Task<JsonElement> PostAsync(string path, HttpContent? content, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, cancellationToken);

    public Task<JsonElement> PostJsonAsync(string path, string json, CancellationToken cancellationToken) =>
        PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>The answer's JSON (<c>null</c> JSON for an empty body); a <see cref="CliException"/> for anything but success.</summary>
    public async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new CliException(ExitCodes.Unreachable, $"cannot reach {Server}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Unreachable, $"{Server} did not answer {request.Method} {request.RequestUri} within {_http.Timeout.TotalSeconds:0}s");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonElement body = default;
                try
                {
                    body = text.Length == 0 ? JsonDocument.Parse("null").RootElement : JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                }

                if (response.IsSuccessStatusCode && body.ValueKind != JsonValueKind.Undefined)
                {
                    return body;
                }

                var detail = body.ValueKind != JsonValueKind.Object ? text.Trim()
                    : Output.Text(body, "detail") is { Length: > 0 } d ? d
                    : Output.Text(body, "title") is { Length: > 0 } t ? $"{t} ({request.Method} {request.RequestUri})"
                    : text.Trim();
                var code = (int)response.StatusCode;
                throw response.StatusCode switch
                {
                    HttpStatusCode.NotFound => new CliException(ExitCodes.NotFound, detail.Length > 0 ? detail : $"{request.RequestUri} not found on {Server}"),
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new CliException(ExitCodes.Unauthorized,
                        $"{Server} refused the request ({code}): {detail}"),
                    _ when response.IsSuccessStatusCode => new CliException(ExitCodes.Failed, $"{Server} answered {code} with a body that is not JSON"),
                    _ => new CliException(ExitCodes.Failed, $"{Server} answered {code}: {detail}"),
                };
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
