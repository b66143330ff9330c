using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Wafer.Runtime.Modus.Auth;

/// <summary>
/// Reads what a request tells Modus guests (<see cref="ModusRequestContext"/>): the <c>X-Time-Zone</c> header and,
/// when an <c>Authorization: Bearer</c> token is present, its verified claims. A malformed Authorization header
/// is refused with 400, as Modus did; whether a call needs a token is decided per app when it is called.
/// </summary>
internal static class ModusRequests
{
    public static IApplicationBuilder UseModusRequests(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var zone = context.Request.Headers["X-Time-Zone"].ToString();
            string? claims = null;
            var authorization = context.Request.Headers.Authorization.ToString();
            if (authorization.Length > 0 && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                var verifier = context.RequestServices.GetService<ModusTokenVerifier>();
                claims = verifier is null ? null : await verifier.VerifyAsync(authorization[7..].Trim(), context.RequestAborted);
            }

            ModusRequestContext.Current = new ModusRequestContext(claims ?? "", zone.Length > 0 ? zone : null) { Verified = claims is not null };
            await next(context);
        });
}
