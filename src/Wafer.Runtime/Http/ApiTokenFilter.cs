using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Http;

/// <summary>When <see cref="RuntimeOptions.ApiToken"/> is set, a control endpoint needs <c>Authorization: Bearer TOKEN</c>.</summary>
internal sealed class ApiTokenFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = context.HttpContext.RequestServices.GetRequiredService<IOptions<RuntimeOptions>>().Value.ApiToken;
        if (string.IsNullOrEmpty(token))
        {
            return await next(context);
        }

        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Unauthorized("this operation needs 'Authorization: Bearer TOKEN' with the runtime's API token (--token or WAFER_TOKEN)");
        }

        var given = header["Bearer ".Length..].Trim();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token))
            ? await next(context)
            : Problems.Unauthorized("the bearer token is not the runtime's API token");
    }
}
