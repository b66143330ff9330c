using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.GraphQL;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Telemetry;

namespace Wafer.Runtime.GraphQL;

/// <summary>The runtime's <c>/graphql</c>: the schema of its catalog (<see cref="GraphQLSchemaProvider"/>).</summary>
internal static class CatalogGraphQLEndpoints
{
    public static IEndpointRouteBuilder MapWaferGraphQL(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Resolved on the first request, not while mapping: options are validated at start.
        var services = endpoints.ServiceProvider;
        var handler = new Lazy<GraphQLHttpHandler>(() =>
        {
            var options = services.GetService<IOptions<RuntimeOptions>>()?.Value ?? new RuntimeOptions();
            return new GraphQLHttpHandler(services.GetRequiredService<GraphQLSchemaProvider>(), options.GraphQL, options.MaxRequestBytes, RuntimeTracing.Source);
        });
        return endpoints.MapGraphQL(GraphQLEndpoints.Route, handler);
    }
}
