using System.Net.Http.Headers;
using System.Text;
using Wafer.Protocol.Problems;

namespace Wafer.Tests.Shared;

/// <summary>
/// Sends requests to a real server and checks that every error answer is an RFC 7807 problem: status as expected,
/// <c>application/problem+json</c>, a non-empty detail, a type from the shared vocabulary with that type's one title,
/// and for 405 an <c>Allow</c> header. It collects every failure so one run reports them all (<see cref="AssertClean"/>).
/// </summary>
public sealed class ProblemSweep(HttpClient client)
{
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, HashSet<string>> _titles = new(StringComparer.Ordinal);

    public int Checked { get; private set; }

    public Task<JsonElement?> ExpectAsync(HttpMethod method, string path, int status, string? detailContains = null) =>
        ExpectAsync(new HttpRequestMessage(method, path), status, detailContains);

    public Task<JsonElement?> ExpectAsync(HttpMethod method, string path, HttpContent content, int status, string? detailContains = null) =>
        ExpectAsync(new HttpRequestMessage(method, path) { Content = content }, status, detailContains);

    public async Task<JsonElement?> ExpectAsync(HttpRequestMessage request, int status, string? detailContains = null)
    {
        var what = $"{request.Method} {request.RequestUri}";
        Checked++;
        // A server may close the connection after refusing a body it did not read: never reuse one.
        request.Headers.ConnectionClose = true;
        // A body refused as too large is sent only after the server's 100 Continue, which it never sends when it refuses
        // on the declared length: otherwise the client may still be writing when the server closes (a broken pipe, no answer).
        request.Headers.ExpectContinue = request.Content is not null && status == 413;
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (HttpRequestException ex)
        {
            var sent = request.Content?.Headers.ContentLength is { } length ? $" ({length}-byte body)" : request.Content is null ? "" : " (chunked body)";
            _failures.Add($"{what}{sent}: no answer: {ex.Message} {ex.InnerException?.Message}");
            return null;
        }

        using var answer = response;
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != status)
        {
            _failures.Add($"{what}: status {(int)response.StatusCode}, expected {status} ({Cut(text)})");
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            _failures.Add($"{what}: content type '{response.Content.Headers.ContentType}', body '{Cut(text)}'");
            return null;
        }

        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            _failures.Add($"{what}: not JSON: '{Cut(text)}'");
            return null;
        }

        var type = body.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        var title = body.TryGetProperty("title", out var ti) ? ti.GetString() ?? "" : "";
        var detail = body.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : "";
        if (!type.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal) || !ProblemTypes.All.TryGetValue(type[ProblemTypes.Prefix.Length..], out var known))
        {
            _failures.Add($"{what}: type '{type}' is not in the vocabulary");
        }
        else if (known.Title != title)
        {
            _failures.Add($"{what}: title '{title}' of {type} is not its title '{known.Title}'");
        }

        if (!_titles.TryGetValue(type, out var titles))
        {
            _titles[type] = titles = new HashSet<string>(StringComparer.Ordinal);
        }

        titles.Add(title);
        if (detail.Length == 0)
        {
            _failures.Add($"{what}: no detail");
        }
        else if (detailContains is not null && !detail.Contains(detailContains, StringComparison.Ordinal))
        {
            _failures.Add($"{what}: detail '{detail}' does not mention '{detailContains}'");
        }

        if (!body.TryGetProperty("status", out var s) || s.GetInt32() != (int)response.StatusCode)
        {
            _failures.Add($"{what}: the body's status is not the response's");
        }

        if (status == 405 && response.Content.Headers.Allow.Count == 0)
        {
            _failures.Add($"{what}: 405 without Allow");
        }

        return body;
    }

    /// <summary>Fails with every problem found, including a type answered with more than one title.</summary>
    public void AssertClean()
    {
        foreach (var (type, titles) in _titles.Where(p => p.Value.Count > 1))
        {
            _failures.Add($"{type} has {titles.Count} titles: {string.Join(" | ", titles)}");
        }

        if (_failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{_failures.Count} of {Checked} answers are not proper problems:\n" + string.Join("\n", _failures));
        }
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Text(string text, string mediaType = "text/plain") => new(text, Encoding.UTF8, mediaType);

    public static ByteArrayContent Bytes(int length, string mediaType)
    {
        var content = new ByteArrayContent(new byte[length]);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>A body sent chunked, without Content-Length, so only the server's reading finds it too large.</summary>
    public static StreamContent Chunked(int length, string mediaType) => Chunked(new byte[length], mediaType);

    /// <summary>A body sent chunked, without Content-Length, so only the server's reading finds it too large.</summary>
    public static StreamContent Chunked(byte[] body, string mediaType)
    {
        var content = new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
