using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.Handlers;

/// <summary>
/// The request as a WAGI handler sees it (the CGI/1.1 meta-variables of RFC 3875 plus WAGI's <c>X_*</c> ones): the
/// environment, and arguments made of the path followed by the query string split at '&amp;'.
/// </summary>
internal static class CgiEnvironment
{
    public const string ServerSoftware = "Wafer/1";

    /// <summary>
    /// Request headers never passed on (RFC 3875 §4.1.18; credentials stay with the host). <c>Proxy</c> would become
    /// <c>HTTP_PROXY</c>, which many HTTP libraries read as their proxy setting: a client could route the handler's
    /// own requests through a host of its choosing ("httpoxy").
    /// </summary>
    private static readonly HashSet<string> Withheld = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Proxy", "Connection", "Content-Type", "Content-Length",
    };

    public static (IReadOnlyList<string> Args, IReadOnlyList<KeyValuePair<string, string>> Env) Build(
        HttpContext context, HandlerRoute route, int contentLength, string callId)
    {
        var request = context.Request;
        var path = request.Path.HasValue ? request.Path.Value! : "/";
        var basePath = route.Route.BasePath;
        var scriptName = route.Route.IsPrefix && basePath == "/" ? "" : basePath;
        var pathInfo = route.Route.IsPrefix ? path[scriptName.Length..] : "";
        var rawPath = RawPath(context) ?? path;
        var rawPathInfo = route.Route.IsPrefix && rawPath.StartsWith(scriptName, StringComparison.Ordinal) ? rawPath[scriptName.Length..] : pathInfo;
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var host = request.Host.HasValue ? request.Host.Host : context.Connection.LocalIpAddress?.ToString() ?? "localhost";
        var port = request.Host.Port ?? context.Connection.LocalPort;
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "";

        var env = new List<KeyValuePair<string, string>>
        {
            new("AUTH_TYPE", ""),
            new("CONTENT_LENGTH", contentLength.ToString(CultureInfo.InvariantCulture)),
            new("CONTENT_TYPE", request.ContentType ?? ""),
            new("GATEWAY_INTERFACE", "CGI/1.1"),
            new("PATH_INFO", pathInfo),
            new("PATH_TRANSLATED", pathInfo),
            new("QUERY_STRING", query),
            new("REMOTE_ADDR", remote),
            new("REMOTE_HOST", remote),
            new("REMOTE_USER", ""),
            new("REQUEST_METHOD", request.Method),
            new("SCRIPT_NAME", scriptName),
            new("SERVER_NAME", host),
            new("SERVER_PORT", port.ToString(CultureInfo.InvariantCulture)),
            new("SERVER_PROTOCOL", request.Protocol),
            new("SERVER_SOFTWARE", ServerSoftware),
            new("X_MATCHED_ROUTE", route.Route.Path),
            new("X_RAW_PATH_INFO", rawPathInfo),
            new("X_RELATIVE_PATH", pathInfo.TrimStart('/')),
            new("X_FULL_URL", request.GetEncodedUrl()),
            new("X_WAFER_CALL_ID", callId),
        };

        foreach (var header in request.Headers)
        {
            // A name with '_' would make the same variable as its '-' spelling (X_Forwarded_For and X-Forwarded-For):
            // a client could pass off its own header as one a proxy in front added.
            if (Withheld.Contains(header.Key) || header.Key.Contains('_', StringComparison.Ordinal))
            {
                continue;
            }

            env.Add(new("HTTP_" + header.Key.ToUpperInvariant().Replace('-', '_'), header.Value.ToString()));
        }

        List<string> args = [path];
        args.AddRange(query.Split('&', StringSplitOptions.RemoveEmptyEntries));
        return (args, env);
    }

    /// <summary>The request path as the client sent it (still percent-encoded), without the query.</summary>
    private static string? RawPath(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return null;
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }
}
