using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wafer.Runtime.GraphQL;

/// <summary>Registers the GraphQL schema factory and provider. Needs the catalog and the invoker registered too.</summary>
internal static class GraphQLServiceCollectionExtensions
{
    public static IServiceCollection AddWaferGraphQL(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<SchemaFactory>();
        services.TryAddSingleton<GraphQLSchemaProvider>();
        return services;
    }
}
