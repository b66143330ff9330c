using Microsoft.Extensions.Hosting;
using Wafer.ControlPlane.Scheduling;
using Wafer.Gateway.Routes;

namespace Wafer.ControlPlane.Gateway;

/// <summary>
/// Feeds the orchestrator's own gateway (and <c>GET /api/routes</c>) from the fleet: on every published fleet
/// snapshot the routes are rebuilt and published when they differ. Keepalives change the fleet often and the routes
/// rarely, so the comparison keeps route versions (and the gateway's GraphQL schema) stable.
/// </summary>
public sealed class FleetRoutePublisher(FleetView view, FleetRouteBuilder builder, RouteState routes) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RouteDocument? published = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = view.Changed;
            var document = builder.Build(view.Current);
            if (published is null || !FleetRouteBuilder.SameRoutes(published, document))
            {
                routes.Publish(document);
                published = document;
            }

            await changed.WaitAsync(stoppingToken);
        }
    }
}
