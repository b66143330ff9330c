using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// The GraphQL HTTP endpoints (docs/graphql.md, "HTTP"): <c>POST /graphql</c> executes a request,
/// <c>GET /graphql</c> serves the explorer page (<c>GET /graphql?sdl</c> the schema), <c>GET /graphql/schema</c>
/// serves the schema as SDL text.
/// </summary>
public static class GraphQLEndpoints
{
    public const string Route = "/graphql";

    public static IEndpointRouteBuilder MapWaferGraphQL(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Route, context => GraphQLHttpHandler.PostAsync(context));
        endpoints.MapGet(Route, context => GraphQLHttpHandler.GetAsync(context));
        endpoints.MapGet(Route + "/schema", context => GraphQLHttpHandler.SchemaAsync(context));
        return endpoints;
    }
}
