using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Wafer.Runtime.Modus.Auth;

/// <summary>
/// Reads what a request tells Modus guests (<see cref="ModusRequestContext"/>): the <c>X-Time-Zone</c> header and,
/// when an <c>Authorization: Bearer</c> token is present, its verified claims. A malformed Authorization header
/// is refused with 400, as Modus did; whether a call needs a token is decided per app when it is called.
/// </summary>
internal static class ModusRequests
{
    // A request with neither header (nearly every call) sets no ambient context and adds no async frame: readers
    // take a missing context as no claims and the host's time zone, and an AsyncLocal set per request would make
    // every later await of the request carry a changed execution context.
    public static IApplicationBuilder UseModusRequests(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Request.Headers;
            var zone = headers["X-Time-Zone"].ToString();
            var authorization = headers.Authorization.ToString();
            var bearer = authorization.Length > 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
            return bearer || zone.Length > 0 ? WithContextAsync(context, next, zone, bearer ? authorization : null) : next(context);
        });

    // Async so the context set here ends with the request instead of flowing on to the connection's next request.
    private static async Task WithContextAsync(HttpContext context, RequestDelegate next, string zone, string? authorization)
    {
        string? claims = null;
        if (authorization is not null)
        {
            var verifier = context.RequestServices.GetService<ModusTokenVerifier>();
            claims = verifier is null ? null : await verifier.VerifyAsync(authorization[7..].Trim(), context.RequestAborted);
        }

        ModusRequestContext.Current = new ModusRequestContext(claims ?? "", zone.Length > 0 ? zone : null) { Verified = claims is not null };
        await next(context);
    }
}
