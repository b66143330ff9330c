using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Problems;

namespace Wafer.Hosting.Http;

/// <summary>
/// Writes every problem a server answers, its own and the framework's (404 for unknown paths, 405, 415, 413,
/// binding failures, unhandled exceptions), as <c>application/problem+json</c> with a type from the shared
/// vocabulary, that type's one title and a detail. It writes whatever the request's <c>Accept</c> says: a client
/// asking for HTML still gets a problem it can read, never an empty body.
/// </summary>
internal sealed class ProblemWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    private readonly JsonSerializerOptions _options = json.Value.SerializerOptions;

    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        var type = problem.Type is { } uri && uri.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal)
                   && ProblemTypes.All.TryGetValue(uri[ProblemTypes.Prefix.Length..], out var known)
            ? known
            : ProblemTypes.ForStatus(status);
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType;

        // Written by hand rather than serialized: no reflection on the first error a fresh process answers.
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = _options.Encoder });
        writer.WriteStartObject();
        writer.WriteString("type", type.Uri);
        writer.WriteString("title", type.Title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", problem.Detail ?? DetailFor(status, http));
        if (problem.Instance is { } instance)
        {
            writer.WriteString("instance", instance);
        }

        writer.WriteString("cause", type.Name);
        foreach (var (name, value) in problem.Extensions)
        {
            if (name is "cause" or "type" or "title" or "status" or "detail" or "instance" or "traceId")
            {
                continue;
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted); // a response over a plain stream (the call protocol's) has it only now
    }

    private void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), _options);
                break;
        }
    }

    /// <summary>What the framework's own answers mean, for the request at hand.</summary>
    private static string DetailFor(int status, HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.HasValue ? request.Path.Value! : "/";
        return status switch
        {
            StatusCodes.Status404NotFound => $"nothing is served at {path}",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow.Count > 0
                ? $"{path} does not accept {request.Method}; it accepts {http.Response.Headers.Allow}"
                : $"{path} does not accept {request.Method}",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{path} does not take {(string.IsNullOrEmpty(request.ContentType) ? "a body without Content-Type" : $"a body of type '{request.ContentType}'")}",
            StatusCodes.Status413PayloadTooLarge => "the request body is larger than this server accepts",
            StatusCodes.Status400BadRequest => "the request is malformed",
            >= 500 => ExceptionProblems.InternalDetail,
            _ => $"{ReasonPhrases.GetReasonPhrase(status)}: {request.Method} {path}",
        };
    }
}
