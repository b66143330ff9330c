using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.Api;
using Wafer.Gateway.Routes;
using Wafer.Protocol.Routes;

namespace Wafer.ControlPlane.Gateway;

/// <summary>
/// <c>GET /api/routes?after=VERSION&amp;wait=SECONDS</c>: the gateway routes, answered at once when their version
/// differs from <c>after</c>, else when they change or after <c>wait</c> seconds (at most 60), whichever comes first.
/// Standalone gateways long-poll it. It names the runtimes' addresses, so it needs the API token when one is set.
/// </summary>
internal static class RouteEndpoints
{
    public const int MaxWaitSeconds = 60;

    public static IEndpointRouteBuilder MapGatewayRoutes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/routes", async (RouteState routes, long? after, int? wait, CancellationToken cancellationToken) =>
            {
                if (wait is < 0 or > MaxWaitSeconds)
                {
                    return ApiProblems.BadRequest($"wait must be between 0 and {MaxWaitSeconds} seconds");
                }

                var snapshot = after is { } version
                    ? await routes.WaitForChangeAsync(version, TimeSpan.FromSeconds(wait ?? 30), cancellationToken)
                    : routes.Current;
                return Results.Json(snapshot.Document, RouteJson.Options);
            })
            .AddEndpointFilter<ControlTokenFilter>()
            .WithTags("gateway").WithName("GetRoutes").WithSummary("The gateway routes (long poll with ?after=VERSION)")
            .Produces<RouteDocument>().ProducesProblem(400).ProducesProblem(401);
        return endpoints;
    }
}
