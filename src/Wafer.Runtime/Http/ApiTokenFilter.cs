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
        return BearerToken.Check(context.HttpContext.Request, token) switch
        {
            BearerCheck.Passed => await next(context),
            BearerCheck.NoToken => Problems.Unauthorized("this operation needs 'Authorization: Bearer TOKEN' with the runtime's API token (--token or WAFER_TOKEN)"),
            _ => Problems.Unauthorized("the bearer token is not the runtime's API token"),
        };
    }
}
