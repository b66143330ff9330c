using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

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
        // Resolved on the first request, not while mapping: options are validated at start.
        var services = endpoints.ServiceProvider;
        var provider = new Lazy<GraphQLSchemaProvider>(services.GetRequiredService<GraphQLSchemaProvider>);
        var limit = new Lazy<int>(() => services.GetService<IOptions<RuntimeOptions>>()?.Value.MaxRequestBytes ?? new RuntimeOptions().MaxRequestBytes);
        endpoints.MapPost(Route, context => GraphQLHttpHandler.PostAsync(context, provider.Value, limit.Value));
        endpoints.MapGet(Route, context => GraphQLHttpHandler.GetAsync(context, provider.Value));
        endpoints.MapGet(Route + "/schema", context => GraphQLHttpHandler.SchemaAsync(context, provider.Value));
        return endpoints;
    }
}
