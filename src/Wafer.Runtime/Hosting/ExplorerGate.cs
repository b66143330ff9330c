using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;

namespace Wafer.Runtime.Hosting;

/// <summary>
/// Outside the <c>dev</c> environment (<c>ENVIRONMENT=stage</c> or <c>prod</c>) the GraphQL explorer page is not served:
/// a <c>GET /graphql</c> without a query is a 404 that says why. Queries, by GET or POST, are answered as ever.
/// </summary>
internal static class ExplorerGate
{
    public static IApplicationBuilder UseExplorerGate(this IApplicationBuilder app)
    {
        var environment = app.ApplicationServices.GetRequiredService<IOptions<RuntimeOptions>>().Value.EnvironmentName;
        if (environment == RuntimeOptions.Development)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path.Equals("/graphql", StringComparison.OrdinalIgnoreCase)
                && !context.Request.Query.ContainsKey("query"))
            {
                await Problems.NotFound($"the GraphQL explorer is served only in the dev environment (this runtime's ENVIRONMENT is {environment}); send queries to POST /graphql")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
    }
}
