using Microsoft.AspNetCore.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>When an API token is configured, control operations need <c>Authorization: Bearer TOKEN</c>.</summary>
internal sealed class ControlTokenFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        ControlAccess.Check(context.HttpContext) switch
        {
            ControlAccess.TokenCheck.Passed => await next(context),
            var failed => ApiProblems.Unauthorized(tokenGiven: failed == ControlAccess.TokenCheck.WrongToken),
        };
}
