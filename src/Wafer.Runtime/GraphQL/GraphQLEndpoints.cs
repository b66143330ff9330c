using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// The GraphQL HTTP endpoints (docs/graphql.md, "HTTP"): <c>POST /graphql</c> and <c>GET /graphql?query=…</c> run a
/// request, <c>GET /graphql</c> from a browser serves the explorer page (<c>GET /graphql?sdl</c> the schema),
/// <c>GET /graphql/schema</c> serves the schema as SDL text.
/// </summary>
public static class GraphQLEndpoints
{
    public const string Route = "/graphql";

    public static IEndpointRouteBuilder MapWaferGraphQL(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Resolved on the first request, not while mapping: options are validated at start.
        var services = endpoints.ServiceProvider;
        var handler = new Lazy<GraphQLHttpHandler>(() =>
        {
            var options = services.GetService<IOptions<RuntimeOptions>>()?.Value ?? new RuntimeOptions();
            return new GraphQLHttpHandler(services.GetRequiredService<GraphQLSchemaProvider>(), options.GraphQL, options.MaxRequestBytes);
        });
        return endpoints.MapGraphQL(Route, handler);
    }

    /// <summary>Maps <paramref name="route"/>, <c>GET</c> and <c>POST</c>, and its <c>/schema</c> to one handler.</summary>
    public static IEndpointRouteBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string route, Lazy<GraphQLHttpHandler> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(handler);
        endpoints.MapPost(route, context => handler.Value.PostAsync(context)).ExcludeFromDescription();
        endpoints.MapGet(route, context => handler.Value.GetAsync(context)).ExcludeFromDescription();
        endpoints.MapGet(route + "/schema", context => handler.Value.SchemaAsync(context)).ExcludeFromDescription();
        return endpoints;
    }
}
