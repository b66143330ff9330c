using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>When an API token is configured, control operations need <c>Authorization: Bearer TOKEN</c>.</summary>
internal sealed class ControlTokenFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        ControlAccess.Check(context.HttpContext) switch
        {
            BearerCheck.Passed => await next(context),
            var failed => ApiProblems.Unauthorized(tokenGiven: failed == BearerCheck.WrongToken),
        };
}
