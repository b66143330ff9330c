using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.Handlers;

/// <summary>
/// Lets the handler fallback endpoint match only paths some command plugin's route covers in the current catalog
/// snapshot, so the ASP.NET route table is never rebuilt on reload and other paths keep their 404 and 405 answers.
/// </summary>
internal sealed class HandlerRouteConstraint(PluginCatalog catalog) : IRouteConstraint
{
    public const string Name = "waferHandler";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        httpContext is not null
        && routeDirection == RouteDirection.IncomingRequest
        && catalog.Current.Routes.Covers(httpContext.Request.Path.HasValue ? httpContext.Request.Path.Value! : "/");
}
