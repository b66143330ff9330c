using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.GraphQL;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Routes;
using Wafer.GraphQL;
using Wafer.Hosting.Http;
using Wafer.Protocol.Calls;

namespace Wafer.Gateway.Http;

/// <summary>
/// The gateway's public routes: <c>POST /functions/{name}</c> and <c>/functions/{plugin}/{name}</c> forwarded to a
/// replica of the deployment exporting the function (<see cref="UseWaferGatewayFunctions"/>), <c>/graphql</c> over
/// every deployment, and the handler routes of every deployment (<see cref="UseWaferGatewayHandlers"/>).
/// </summary>
public static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapWaferGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var graphql = new Lazy<GraphQLHttpHandler>(() =>
        {
            var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new GraphQLHttpHandler(services.GetRequiredService<GatewaySchemaSource>(), options.GraphQL, options.MaxRequestBytes, GatewayTracing.Source);
        });
        return endpoints.MapGraphQL(GraphQLEndpoints.Route, graphql);
    }

    /// <summary>
    /// Function calls, the gateway's hot path, answered by a middleware ahead of endpoint routing, which it adds after
    /// itself: skipping routing and the status-code pages saves a call about 2 µs (docs/benchmarks.md, "Gateway"),
    /// and every answer here has its body already. Call it before the host's other middleware.
    /// </summary>
    public static IApplicationBuilder UseWaferGatewayFunctions(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var routes = app.ApplicationServices.GetRequiredService<RouteState>();
        var forwarder = new Lazy<GatewayForwarder>(app.ApplicationServices.GetRequiredService<GatewayForwarder>);
        app.Use((context, next) =>
        {
            if (!FunctionPath.TryParse(context.Request.Path, out var plugin, out var name))
            {
                // GraphQL fields pass the caller's context on to the runtimes they call.
                CallerContext.Current = CallerContext.Of(context.Request);
                return next(context);
            }

            if (!HttpMethods.IsPost(context.Request.Method))
            {
                context.Response.Headers.Allow = HttpMethods.Post;
                return Problems.MethodNotAllowed($"functions are called with POST, not {context.Request.Method}").ExecuteAsync(context);
            }

            return FunctionAsync(context, routes.Current, forwarder.Value, plugin, name);
        });
        return app.UseRouting();
    }

    /// <summary>
    /// Forwards requests no endpoint matched whose path a deployment's handler route covers in the current snapshot.
    /// A middleware rather than a catch-all endpoint, so the host's own endpoints keep their 404, 405 and 415 answers
    /// and the route table never changes. Call it after routing, before the endpoints run.
    /// </summary>
    public static IApplicationBuilder UseWaferGatewayHandlers(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var routes = app.ApplicationServices.GetRequiredService<RouteState>();
        var forwarder = new Lazy<GatewayForwarder>(app.ApplicationServices.GetRequiredService<GatewayForwarder>);
        return app.Use((context, next) =>
        {
            if (context.GetEndpoint() is null
                && routes.Current.Handlers.Match(context.Request.Path.HasValue ? context.Request.Path.Value! : "/", context.Request.Method) is { } target)
            {
                return forwarder.Value.ForwardAsync(context, target.Replicas);
            }

            return next(context);
        });
    }

    private static Task FunctionAsync(HttpContext context, RouteSnapshot snapshot, GatewayForwarder forwarder, string? plugin, string name)
    {
        var found = FunctionLookup.Find<DeploymentTarget, RouteIndex>(new RouteIndex(snapshot), plugin, name);
        if (found.Function is not { } target)
        {
            return (found.Ambiguous ? Problems.Ambiguous(found.Error!) : Problems.NotFound(found.Error!)).ExecuteAsync(context);
        }

        if (plugin is null)
        {
            // On a runtime that also hosts other plugins the plain name might be ambiguous: always qualify.
            context.Request.Path = "/functions/" + Uri.EscapeDataString(target.Name) + "/" + Uri.EscapeDataString(name);
        }

        return forwarder.CallAsync(context, target.Replicas, target.Name, name);
    }

    /// <summary>The deployments of a route snapshot as <see cref="FunctionLookup"/> sees them: a deployment is its plugin.</summary>
    private readonly struct RouteIndex(RouteSnapshot snapshot) : IFunctionIndex<DeploymentTarget>
    {
        public DeploymentTarget? Qualified(string plugin, string name, out bool pluginKnown)
        {
            pluginKnown = snapshot.Deployments.TryGetValue(plugin, out var target);
            return pluginKnown && target!.Functions.Contains(name) ? target : null;
        }

        public DeploymentTarget? Unique(string name) => snapshot.FunctionOwners.GetValueOrDefault(name);

        public IEnumerable<string>? Exporters(string name) => snapshot.Ambiguous.TryGetValue(name, out var candidates) ? candidates : null;

        public string NoPlugin(string plugin) => $"no deployment named '{plugin}' is running";

        public string NoFunction(string name) => $"no function named '{name}' is deployed";
    }
}
