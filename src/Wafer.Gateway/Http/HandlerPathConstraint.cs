using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.Gateway.Routes;

namespace Wafer.Gateway.Http;

/// <summary>
/// Lets the handler fallback match only paths some deployment's route covers in the current snapshot, so other
/// paths keep their 404 and 405 answers and the ASP.NET route table never changes.
/// </summary>
internal sealed class HandlerPathConstraint(RouteState routes) : IRouteConstraint
{
    public const string Name = "waferGatewayHandler";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        httpContext is not null
        && routeDirection == RouteDirection.IncomingRequest
        && routes.Current.Handlers.Match(httpContext.Request.Path.HasValue ? httpContext.Request.Path.Value! : "/", httpContext.Request.Method) is not null;
}
