using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Wafer.GraphQL;

/// <summary>
/// The GraphQL HTTP endpoints (docs/graphql.md, "HTTP"): <c>POST /graphql</c> and <c>GET /graphql?query=…</c> run a
/// request, <c>GET /graphql</c> from a browser serves the explorer page (<c>GET /graphql?sdl</c> the schema),
/// <c>GET /graphql/schema</c> serves the schema as SDL text.
/// </summary>
public static class GraphQLEndpoints
{
    public const string Route = "/graphql";

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
