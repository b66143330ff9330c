using System.Net;
using System.Text.Json;
using Wafer.Runtime.Capabilities.Secrets;

namespace Wafer.Runtime.Capabilities.Http;

/// <summary>
/// <c>http.fetch</c>: a request to a URL under a declared <c>http</c> connection, with the connection's headers
/// (secrets filled in) added host-side, redirects followed by hand while they stay under the same connection,
/// and the response capped in size and time. Compressed responses are decoded by the host before the call's
/// secrets are scrubbed from them (the guest may not choose <c>Accept-Encoding</c>).
/// </summary>
internal sealed class HttpFetchCapability(OutboundHttp http, ConnectionSecrets secrets) : IHostCapability
{
    public const string Operation = "http.fetch";
    public const int MaxRequestBodyBytes = 10 * 1024 * 1024;
    public const int MaxRedirects = 5;

    /// <summary>Headers the host owns: framing, routing and hop-by-hop headers a guest may not set.</summary>
    private static readonly HashSet<string> ForbiddenHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive",
        "proxy-authorization", "proxy-connection", "expect",
        "accept-encoding", // the host negotiates compression, so it can decode every response before scrubbing secrets from it
    };

    public IReadOnlyList<string> Operations { get; } = [Operation];

    public byte[] Invoke(string operation, JsonElement request, CapabilityCall call)
    {
        CapabilityRequest.OnlyFields(request, Operation, "url", "method", "headers", "body");
        var url = CapabilityRequest.String(request, "url", Operation);
        var method = Method(CapabilityRequest.OptionalString(request, "method", Operation));
        var headers = GuestHeaders(request);
        var body = Body(request);

        var target = HttpTarget.Find(url, call.Plugin.Manifest, secrets, call, Operation);
        var connection = target.Connection;
        var connectionHeaders = secrets.FillEach(connection.Headers, connection, call, Operation);
        using var budget = call.Budget(Operation, connection.TimeoutMs);

        var current = ConnectionQuery.Append(target.Url, secrets.FillEach(connection.QueryParameters, connection, call, Operation));
        for (var hop = 0; ; hop++)
        {
            using var message = Build(method, current, headers, connectionHeaders, body);
            using var response = http.Send(message, budget, Operation, url);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
            {
                if (hop == MaxRedirects)
                {
                    throw new CapabilityException($"{Operation}: {url} redirected more than {MaxRedirects} times");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme is not ("http" or "https") || next.UserInfo.Length > 0 || !UrlScope.IsUnder(next, target.ResolvedBase))
                {
                    throw new CapabilityException(
                        $"{Operation}: {url} redirected to {Shown(next)}, which is outside connection '{connection.Name}' ({connection.BaseUrl})");
                }

                UrlScope.Check(next, Operation);
                if (response.StatusCode == HttpStatusCode.SeeOther ||
                    (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found && method == HttpMethod.Post))
                {
                    method = HttpMethod.Get;
                    body = null;
                }

                current = next;
                continue;
            }

            if (call.Secrets.Count > 0 && response.Content.Headers.ContentEncoding.Count > 0)
            {
                // Compressed bytes would hide a secret from scrubbing; the handler decodes gzip, deflate and brotli.
                throw new CapabilityException(
                    $"{Operation}: the response of {url} is encoded as '{string.Join(", ", response.Content.Headers.ContentEncoding)}', which the host cannot " +
                    "decode to remove the connection's secrets from it");
            }

            var content = OutboundHttp.ReadBody(response, connection.MaxResponseBytes, budget, Operation, url,
                $"connection '{connection.Name}' maxResponseBytes");
            return Response(response, content, call.Secrets);
        }
    }

    private static HttpRequestMessage Build(
        HttpMethod method, Uri url, List<KeyValuePair<string, string>> guestHeaders, KeyValuePair<string, string>[] connectionHeaders, byte[]? body)
    {
        var message = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in guestHeaders)
        {
            if (connectionHeaders.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                continue; // the connection's own headers win, so a guest can't replace credentials
            }

            Add(message, name, value);
        }

        foreach (var (name, value) in connectionHeaders)
        {
            Add(message, name, value);
        }

        return message;
    }

    private static void Add(HttpRequestMessage message, string name, string value)
    {
        if (message.Headers.TryAddWithoutValidation(name, value))
        {
            return;
        }

        message.Content ??= new ByteArrayContent([]);
        message.Content.Headers.TryAddWithoutValidation(name, value);
    }

    private static byte[] Response(HttpResponseMessage response, byte[] content, IReadOnlyList<string> secrets)
    {
        var forms = SecretScrubber.AllForms(secrets);
        using var buffer = new MemoryStream(content.Length * 4 / 3 + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", (int)response.StatusCode);
            writer.WriteString("statusText", SecretScrubber.ScrubForms(response.ReasonPhrase ?? "", forms));
            writer.WriteStartArray("headers");
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                foreach (var value in values)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(name);
                    writer.WriteStringValue(SecretScrubber.ScrubForms(value, forms));
                    writer.WriteEndArray();
                }
            }

            writer.WriteEndArray();
            writer.WriteBase64String("body", forms.Count > 0 ? SecretScrubber.ScrubForms(content, forms) : content);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static HttpMethod Method(string? method)
    {
        if (method is null)
        {
            return HttpMethod.Get;
        }

        if (method.Length is 0 or > 16 || !method.All(char.IsAsciiLetter))
        {
            throw new CapabilityException($"{Operation}: \"method\" must be an HTTP method like GET or POST");
        }

        return HttpMethod.Parse(method.ToUpperInvariant());
    }

    private static List<KeyValuePair<string, string>> GuestHeaders(JsonElement request)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (CapabilityRequest.Optional(request, "headers") is not { } element)
        {
            return headers;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new CapabilityException($"{Operation}: \"headers\" must be an array of [name, value] pairs");
        }

        foreach (var pair in element.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 ||
                pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                throw new CapabilityException($"{Operation}: \"headers\" must be an array of [name, value] pairs of strings");
            }

            var name = pair[0].GetString()!;
            var value = pair[1].GetString()!;
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                throw new CapabilityException($"{Operation}: '{name}' is not a valid header name");
            }

            if (ForbiddenHeaders.Contains(name) || name.StartsWith("proxy-", StringComparison.OrdinalIgnoreCase))
            {
                throw new CapabilityException($"{Operation}: the host sets the '{name}' header; a guest may not");
            }

            if (value.AsSpan().ContainsAny('\r', '\n', '\0'))
            {
                throw new CapabilityException($"{Operation}: the value of header '{name}' holds a line break or NUL");
            }

            headers.Add(KeyValuePair.Create(name, value));
        }

        return headers;
    }

    private static byte[]? Body(JsonElement request)
    {
        if (CapabilityRequest.Optional(request, "body") is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String || !element.TryGetBytesFromBase64(out var bytes))
        {
            throw new CapabilityException($"{Operation}: \"body\" must be base64 text or null");
        }

        return bytes.Length <= MaxRequestBodyBytes
            ? bytes
            : throw new CapabilityException($"{Operation}: the request body is {bytes.Length} bytes; the limit is {MaxRequestBodyBytes}");
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string Shown(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
