using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wafer.Hosting.Http;

/// <summary>
/// Refuses control requests a browser sends on behalf of another site, so a web page cannot drive a Wafer server on
/// the visitor's machine or network (deploy, stop, drain, upload, run jobs). Control requests are every request to
/// <c>/api/…</c> but GET, HEAD and OPTIONS, and every POST to <c>/jobs</c>. Browsers name the page's origin in
/// <c>Origin</c> and say how it relates in <c>Sec-Fetch-Site</c>; clients that are not browsers (the CLI, curl,
/// runtimes) send neither and pass. A browser's request passes only from the server's own origin, and, on a server
/// without a token, only when it addressed the server by a loopback name or address: a page whose domain was made to
/// resolve to 127.0.0.1 (DNS rebinding) looks same-origin to the browser, but its <c>Host</c> is still its own domain.
/// Function calls, GraphQL and handler routes stay callable from pages, as before.
/// </summary>
public static class CrossSiteGuard
{
    /// <param name="hasToken">Whether the server requires a token for control requests.</param>
    public static IApplicationBuilder UseWaferCrossSiteGuard(this IApplicationBuilder app, bool hasToken) =>
        app.Use((context, next) =>
            IsControl(context.Request) && Refusal(context.Request, hasToken) is { } reason
                ? Problems.CrossSite($"{context.Request.Method} {context.Request.Path} is a control request, and {reason}; use the wafer CLI")
                    .ExecuteAsync(context)
                : next(context));

    /// <summary>True for the requests that change what the server runs.</summary>
    public static bool IsControl(HttpRequest request) =>
        (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
         || request.Path.StartsWithSegments("/jobs", StringComparison.OrdinalIgnoreCase))
        && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    /// <summary>Why a browser may not send this control request; null when it may, or when no browser sent it.</summary>
    public static string? Refusal(HttpRequest request, bool hasToken)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 && fetchSite.Length == 0)
        {
            return null; // not a browser
        }

        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase)
            || (origin.Length > 0 && !IsSameOrigin(origin, request)))
        {
            return $"browsers may not send it from another site ({(origin.Length > 0 ? origin : "Sec-Fetch-Site: " + fetchSite)})";
        }

        return hasToken || Exposure.IsLoopback(request.Host.Host)
            ? null
            : $"on a server without a token, browsers may send it only to a loopback address or localhost, not to '{request.Host.Host}'";
    }

    private static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !request.Host.HasValue
            || !Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var self))
        {
            return false; // "null" (a sandboxed page, a file) and anything unreadable is another origin
        }

        return string.Equals(from.Scheme, self.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(from.IdnHost, self.IdnHost, StringComparison.OrdinalIgnoreCase)
               && from.Port == self.Port;
    }
}
