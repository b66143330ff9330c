using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Wafer.Protocol.Problems;

namespace Wafer.Runtime.Http;

/// <summary>
/// Writes every problem a server answers, its own and the framework's (404 for unknown paths, 405, 415, 413,
/// binding failures, unhandled exceptions), as <c>application/problem+json</c> with a type from the shared
/// vocabulary, that type's one title and a detail. It writes whatever the request's <c>Accept</c> says: a client
/// asking for HTML still gets a problem it can read, never an empty body.
/// </summary>
internal sealed class ProblemWriter : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        var type = problem.Type is { } uri && uri.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal)
                   && ProblemTypes.All.TryGetValue(uri[ProblemTypes.Prefix.Length..], out var known)
            ? known
            : ProblemTypes.ForStatus(status);
        problem.Type = type.Uri;
        problem.Title = type.Title;
        problem.Detail ??= DetailFor(status, http);
        problem.Extensions["cause"] = type.Name;
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, ContentType, http.RequestAborted));
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
            >= 500 => "the server failed to handle the request; its log says why",
            _ => $"{ReasonPhrases.GetReasonPhrase(status)}: {request.Method} {path}",
        };
    }
}
