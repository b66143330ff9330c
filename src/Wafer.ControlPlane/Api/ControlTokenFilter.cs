using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Hosting;

namespace Wafer.ControlPlane.Api;

/// <summary>When an API token is configured, control operations need <c>Authorization: Bearer TOKEN</c>.</summary>
internal sealed class ControlTokenFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var token = context.HttpContext.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value.ApiToken;
        if (token is null)
        {
            return await next(context);
        }

        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var given = bearer ? header["Bearer ".Length..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token))
            ? await next(context)
            : ApiProblems.Unauthorized(tokenGiven: bearer);
    }
}
